"""GraphQL enums, taken from the domain's own enumerations."""

from __future__ import annotations

import strawberry

from db.models import (
    AuditOutcome,
    IssueCategory,
    IssueChannel,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
    LinkKind,
    MeetingStatus,
    OrganisationKind,
    PartyMembership,
    PartyMemberStatus,
    PositionTitle,
)
from policies.token_scopes import SCOPE_RULES, TokenScope
from resolvers.issues.queries import IssueOrder
from resolvers.tokens.partner import TokenStatus

OrganisationKindEnum = strawberry.enum(
    OrganisationKind,
    name="OrganisationKind",
    description="What an organisation is: a level of the city tree, or a body in or beside "
    "a compound.",
)
LinkKindEnum = strawberry.enum(
    LinkKind,
    name="LinkKind",
    description="SERVES: a property firm serves a compound under a contract. "
    "CO_BUILDS: a partner unit or social organisation co-builds with a compound.",
)
PartyMembershipEnum = strawberry.enum(
    PartyMembership, name="PartyMembership", description="Whether a person is a party member."
)
PartyMemberStatusEnum = strawberry.enum(
    PartyMemberStatus,
    name="PartyMemberStatus",
    description="IN_SERVICE: working, reports to the residence community; RETIRED: retired member.",
)
PositionTitleEnum = strawberry.enum(
    PositionTitle,
    name="PositionTitle",
    description="The title of a position; each fits some kinds of organisation only.",
)

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
    "an ASSIGNMENT, an ESCALATION, a joint meeting's DECISION, an ATTACHMENT link.",
)
MeetingStatusEnum = strawberry.enum(
    MeetingStatus,
    name="MeetingStatus",
    description="SCHEDULED until its first decision is recorded, then HELD.",
)
IssueOrderEnum = strawberry.enum(
    IssueOrder,
    name="IssueOrder",
    description="NEWEST or OLDEST report first, DUE_SOONEST first, or PRIORITY (most pressing, "
    "then newest).",
)
AuditOutcomeEnum = strawberry.enum(
    AuditOutcome,
    name="AuditOutcome",
    description="SUCCESS: the change was made. DENIED: the caller lacked the permission, was not "
    "signed in, or named a record outside their scope (they are told NOT_FOUND). REJECTED: "
    "refused for its input or the record's state (bad input, a record that does not exist, a "
    "conflict). FAILED: an unexpected error; nothing was changed.",
)
TokenScopeEnum = strawberry.enum(
    TokenScope,
    name="TokenScope",
    description="What a partner token may do, always within its organisations and its issuer's "
    "access at the moment of use. "
    + " ".join(
        f"{scope.name} ({scope.value}): {rule.description}" for scope, rule in SCOPE_RULES.items()
    ),
)
TokenStatusEnum = strawberry.enum(
    TokenStatus,
    name="TokenStatus",
    description="ACTIVE: usable. EXPIRED: past its expiry. REVOKED: revoked (whatever its expiry).",
)
