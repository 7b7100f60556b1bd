"""GraphQL names and descriptions of the issue and joint meeting enums."""

from __future__ import annotations

import strawberry

from db.models import (
    IssueCategory,
    IssueChannel,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
    MeetingStatus,
)
from resolvers.issues.queries import IssueOrder

IssueStatusEnum = strawberry.enum(
    IssueStatus,
    name="IssueStatus",
    description=(
        "Where an issue stands. The lifecycle: REPORTED → CLAIMED (an organisation takes it on) "
        "→ IN_PROGRESS → RESOLVED → CLOSED when the reporter confirms and rates it 1–5; "
        "RESOLVED → REOPENED → IN_PROGRESS when the reporter is not satisfied; any open state "
        "(REPORTED, CLAIMED, IN_PROGRESS, REOPENED) → ESCALATED to a joint meeting, whose "
        "decision moves it back to IN_PROGRESS; REPORTED → REJECTED (with a reason) or "
        "DUPLICATE (of an original). CLOSED, REJECTED and DUPLICATE are final. An action not "
        "allowed from the current state fails with BAD_USER_INPUT naming the allowed next states."
    ),
)


IssueChannelEnum = strawberry.enum(
    IssueChannel,
    name="IssueChannel",
    description="How the issue came in: PHOTO_REPORT (隨手拍), MICRO_WISH (微心願), HELP_REQUEST "
    "(online help), COMPLAINT, SUGGESTION, DOOR_TO_DOOR_VISIT, HOTLINE.",
)


IssueCategoryEnum = strawberry.enum(
    IssueCategory, name="IssueCategory", description="What the issue is about."
)


IssuePriorityEnum = strawberry.enum(
    IssuePriority,
    name="IssuePriority",
    description="How pressing it is; with the category it sets the due time (the SLA table).",
)


IssueEventKindEnum = strawberry.enum(
    IssueEventKind,
    name="IssueEventKind",
    description="What a timeline entry records: the REPORT, a STATUS_CHANGE, a COMMENT, a CLAIM, "
    "an ASSIGNMENT, an ESCALATION, a joint meeting's DECISION, an ATTACHMENT link, a TRIAGE "
    "(the branch corrected the priority and/or category, and so the due time).",
)


MeetingStatusEnum = strawberry.enum(
    MeetingStatus,
    name="MeetingStatus",
    description="SCHEDULED until its first decision is recorded, then HELD; or CANCELLED while "
    "still scheduled (nothing left to decide, or it will not meet).",
)


IssueOrderEnum = strawberry.enum(
    IssueOrder,
    name="IssueOrder",
    description="NEWEST or OLDEST report first, DUE_SOONEST first, PRIORITY (most pressing, "
    "then newest), or STATUS: where an issue stands, in the lifecycle's order (REPORTED, "
    "CLAIMED, IN_PROGRESS, REOPENED, ESCALATED, then RESOLVED awaiting the reporter, then "
    "CLOSED, REJECTED, DUPLICATE), the longest waiting (oldest report) first within a status.",
)
