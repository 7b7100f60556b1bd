"""Inputs of the problem list and joint meetings: one per mutation, plus the list filter."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import IssueCategory, IssueChannel, IssuePriority, IssueStatus
from resolvers.issues import commands, meeting_changes, meetings
from resolvers.issues import queries as issues
from schema.ids import decode_id, decode_optional

VERSION = "The version you last read; if the issue changed since, the mutation fails with CONFLICT."


@strawberry.input(description="Narrow a list of issues; all given conditions apply.")
class IssueFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    subtree: strawberry.ID | None = strawberry.field(
        default=None, description="In any compound under this organisation."
    )
    status: list[IssueStatus] | None = strawberry.field(default=None, description="Any of these.")
    category: list[IssueCategory] | None = strawberry.field(
        default=None, description="Any of these."
    )
    channel: list[IssueChannel] | None = strawberry.field(default=None, description="Any of these.")
    assignee: strawberry.ID | None = strawberry.field(
        default=None, description="Claimed by or assigned to this organisation."
    )
    reporter: strawberry.ID | None = strawberry.field(
        default=None,
        description="Reported by this person (matches only issues whose reporter you may know).",
    )
    overdue: bool | None = strawberry.field(
        default=None, description="true: open and past due; false: the others."
    )
    created_from: datetime | None = strawberry.field(
        default=None, description="Reported at or after."
    )
    created_to: datetime | None = strawberry.field(default=None, description="Reported before.")
    search: str | None = strawberry.field(
        default=None, description="Text in the title or description (at most 100 characters)."
    )

    def to_domain(self) -> issues.IssueFilter:
        return issues.IssueFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            subtree_of=decode_optional(self.subtree, "Organisation"),
            statuses=self.status,
            categories=self.category,
            channels=self.channel,
            assignee_id=decode_optional(self.assignee, "Organisation"),
            reporter_id=decode_optional(self.reporter, "Person"),
            overdue=self.overdue,
            created_from=self.created_from,
            created_to=self.created_to,
            search=self.search,
        )


@strawberry.input(description="A new problem for the compound's list.")
class ReportIssueInput:
    compound: strawberry.ID = strawberry.field(description="The compound it concerns.")
    channel: IssueChannel = strawberry.field(description="How it came in.")
    category: IssueCategory = strawberry.field(description="What it is about.")
    title: str = strawberry.field(description="Short statement (1–200 characters).")
    description: str = strawberry.field(default="", description="Details (at most 2000).")
    priority: IssuePriority = strawberry.field(
        default=IssuePriority.NORMAL,
        description="How pressing; sets the due time with the category.",
    )
    building: strawberry.ID | None = strawberry.field(
        default=None, description="The building, if any."
    )
    reporter: strawberry.ID | None = strawberry.field(
        default=None,
        description="Filed on behalf of this resident (door-to-door visit, hotline): needs "
        "issue:report_for_others. Omitted: you are the reporter.",
    )
    attachment_url: str | None = strawberry.field(
        default=None, description="A photo or document link (http or https)."
    )
    photo: strawberry.ID | None = strawberry.field(
        default=None,
        description="A photo you uploaded (POST /uploads answers its id); it becomes the "
        "report's and is seen by whoever may read the issue.",
    )

    def to_domain(self) -> commands.ReportIssue:
        return commands.ReportIssue(
            compound_id=decode_id(self.compound, "Organisation"),
            channel=self.channel,
            category=self.category,
            title=self.title,
            description=self.description,
            priority=self.priority,
            building_id=decode_optional(self.building, "Organisation"),
            reporter_id=decode_optional(self.reporter, "Person"),
            attachment_url=self.attachment_url,
            photo_id=decode_optional(self.photo, "Photo"),
        )


@strawberry.input(description="Claim a REPORTED issue (認領) for an organisation.")
class ClaimIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    organisation: strawberry.ID = strawberry.field(
        description="The claiming body: in the compound, serving or co-building with it, or a "
        "department, social organisation or volunteer team above it."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.ClaimIssue:
        return commands.ClaimIssue(
            id=decode_id(self.id, "Issue"),
            organisation_id=decode_id(self.organisation, "Organisation"),
            expected_version=self.expected_version,
        )


@strawberry.input(description="Assign an issue to an organisation (and optionally a person).")
class AssignIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    organisation: strawberry.ID = strawberry.field(description="Who takes it on (as for a claim).")
    person: strawberry.ID | None = strawberry.field(
        default=None, description="A person holding an active position in that organisation."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.AssignIssue:
        return commands.AssignIssue(
            id=decode_id(self.id, "Issue"),
            organisation_id=decode_id(self.organisation, "Organisation"),
            person_id=decode_optional(self.person, "Person"),
            expected_version=self.expected_version,
        )


@strawberry.input(description="An action on an issue with a note: start, resolve, reject.")
class IssueNoteInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    note: str | None = strawberry.field(
        default=None,
        description="Starting: optional. Resolving: what was done (required). Rejecting: why "
        "(required).",
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.NoteIssue:
        return commands.NoteIssue(
            id=decode_id(self.id, "Issue"), note=self.note, expected_version=self.expected_version
        )


@strawberry.input(description="The reporter's answer to a RESOLVED issue.")
class ConfirmIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    accept: bool = strawberry.field(
        description="true: close it (give `satisfaction`); false: reopen it (say why in `comment`)."
    )
    satisfaction: int | None = strawberry.field(
        default=None, description="1 (poor) to 5 (very good)."
    )
    comment: str | None = strawberry.field(default=None, description="Required when reopening.")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.ConfirmIssue:
        return commands.ConfirmIssue(
            id=decode_id(self.id, "Issue"),
            accept=self.accept,
            satisfaction=self.satisfaction,
            comment=self.comment,
            expected_version=self.expected_version,
        )


@strawberry.input(description="Mark a REPORTED issue a duplicate of an earlier one.")
class MarkDuplicateInput:
    id: strawberry.ID = strawberry.field(description="The duplicate.")
    original: strawberry.ID = strawberry.field(description="The original, in the same compound.")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.MarkDuplicate:
        return commands.MarkDuplicate(
            id=decode_id(self.id, "Issue"),
            original_id=decode_id(self.original, "Issue"),
            expected_version=self.expected_version,
        )


@strawberry.input(description="A comment (or attachment link, or photo) on an issue's timeline.")
class CommentOnIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    body: str | None = strawberry.field(default=None, description="The comment (at most 2000).")
    attachment_url: str | None = strawberry.field(
        default=None, description="A link (http or https)."
    )
    photo: strawberry.ID | None = strawberry.field(
        default=None, description="A photo you uploaded (POST /uploads answers its id)."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.CommentOnIssue:
        return commands.CommentOnIssue(
            id=decode_id(self.id, "Issue"),
            body=self.body,
            attachment_url=self.attachment_url,
            photo_id=decode_optional(self.photo, "Photo"),
            expected_version=self.expected_version,
        )


@strawberry.input(description="Take an open issue to a joint meeting (聯席會議).")
class EscalateIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    reason: str = strawberry.field(description="Why the compound cannot solve it alone.")
    meeting: strawberry.ID | None = strawberry.field(
        default=None, description="A scheduled meeting of the compound (or community) to put it on."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.EscalateIssue:
        return commands.EscalateIssue(
            id=decode_id(self.id, "Issue"),
            reason=self.reason,
            meeting_id=decode_optional(self.meeting, "JointMeeting"),
            expected_version=self.expected_version,
        )


@strawberry.input(
    description="Correct the priority and/or category of an issue that is not closed, rejected "
    "or a duplicate; the due time moves with the SLA of the new priority and category."
)
class TriageIssueInput:
    id: strawberry.ID = strawberry.field(description="The issue.")
    priority: IssuePriority | None = strawberry.field(
        default=None, description="The corrected priority; unchanged when not given."
    )
    category: IssueCategory | None = strawberry.field(
        default=None, description="The corrected category; unchanged when not given."
    )
    reason: str = strawberry.field(description="Why it is corrected, shown on the timeline.")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> commands.TriageIssue:
        return commands.TriageIssue(
            id=decode_id(self.id, "Issue"),
            priority=self.priority,
            category=self.category,
            reason=self.reason,
            expected_version=self.expected_version,
        )


@strawberry.input(description="A joint meeting to schedule.")
class ScheduleJointMeetingInput:
    organisation: strawberry.ID = strawberry.field(description="The host compound or community.")
    title: str = strawberry.field(description="What it is about.")
    scheduled_for: datetime = strawberry.field(description="When, with its time zone.")
    location: str | None = strawberry.field(default=None, description="Where.")
    participants: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Organisations taking part: committees, the firm, partner units, departments.",
    )
    agenda: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Escalated issues to decide on."
    )

    def to_domain(self) -> meetings.ScheduleMeeting:
        return meetings.ScheduleMeeting(
            organisation_id=decode_id(self.organisation, "Organisation"),
            title=self.title,
            scheduled_for=self.scheduled_for,
            location=self.location,
            participant_ids=[decode_id(p, "Organisation") for p in self.participants],
            agenda_issue_ids=[decode_id(i, "Issue") for i in self.agenda],
        )


@strawberry.input(description="A joint meeting's decision on one escalated issue.")
class RecordMeetingDecisionInput:
    meeting: strawberry.ID = strawberry.field(description="The meeting.")
    issue: strawberry.ID = strawberry.field(description="An issue on its agenda.")
    decision: str = strawberry.field(description="What was decided; the issue goes IN_PROGRESS.")
    assignee: strawberry.ID | None = strawberry.field(
        default=None, description="The organisation that takes the work on, if it changes."
    )
    minutes: str | None = strawberry.field(
        default=None, description="The meeting's minutes so far."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="The issue's version you last read."
    )
    due_at: datetime | None = strawberry.field(
        default=None,
        description="The new due time the meeting set, with its time zone; by default the SLA's "
        "allowed time for the issue's priority and category, counted from the decision.",
    )

    def to_domain(self) -> meetings.RecordDecision:
        return meetings.RecordDecision(
            meeting_id=decode_id(self.meeting, "JointMeeting"),
            issue_id=decode_id(self.issue, "Issue"),
            decision=self.decision,
            assignee_id=decode_optional(self.assignee, "Organisation"),
            minutes=self.minutes,
            expected_version=self.expected_version,
            due_at=self.due_at,
        )


@strawberry.input(description="A scheduled joint meeting to call off.")
class CancelJointMeetingInput:
    id: strawberry.ID = strawberry.field(description="The meeting.")
    reason: str = strawberry.field(description="Why it will not meet.")
    expected_version: int | None = strawberry.field(
        default=None, description="The meeting's version you last read."
    )

    def to_domain(self) -> meeting_changes.CancelMeeting:
        return meeting_changes.CancelMeeting(
            meeting_id=decode_id(self.id, "JointMeeting"),
            reason=self.reason,
            expected_version=self.expected_version,
        )


@strawberry.input(description="A scheduled joint meeting moved to another time.")
class RescheduleJointMeetingInput:
    id: strawberry.ID = strawberry.field(description="The meeting.")
    scheduled_for: datetime = strawberry.field(description="The new time, with its time zone.")
    expected_version: int | None = strawberry.field(
        default=None, description="The meeting's version you last read."
    )

    def to_domain(self) -> meeting_changes.RescheduleMeeting:
        return meeting_changes.RescheduleMeeting(
            meeting_id=decode_id(self.id, "JointMeeting"),
            scheduled_for=self.scheduled_for,
            expected_version=self.expected_version,
        )


@strawberry.input(description="An issue to take off a scheduled meeting's agenda.")
class RemoveMeetingAgendaItemInput:
    meeting: strawberry.ID = strawberry.field(description="The meeting.")
    issue: strawberry.ID = strawberry.field(
        description="An issue on its agenda; it stays ESCALATED."
    )

    def to_domain(self) -> meeting_changes.RemoveAgendaItem:
        return meeting_changes.RemoveAgendaItem(
            meeting_id=decode_id(self.meeting, "JointMeeting"),
            issue_id=decode_id(self.issue, "Issue"),
        )
