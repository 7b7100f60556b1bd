"""Mutations of issues and joint meetings; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.issues import actions as issue_actions
from resolvers.issues import meeting_changes, meetings, triage
from resolvers.issues.actions import (
    ASSIGN_ISSUE,
    CLAIM_ISSUE,
    COMMENT_ON_ISSUE,
    CONFIRM_ISSUE,
    MARK_DUPLICATE,
    REJECT_ISSUE,
    REPORT_ISSUE,
    RESOLVE_ISSUE,
    START_ISSUE,
)
from resolvers.issues.meeting_changes import (
    CANCEL_JOINT_MEETING,
    REMOVE_MEETING_AGENDA_ITEM,
    RESCHEDULE_JOINT_MEETING,
)
from resolvers.issues.meetings import (
    ESCALATE_ISSUE,
    RECORD_MEETING_DECISION,
    SCHEDULE_JOINT_MEETING,
)
from resolvers.issues.triage import TRIAGE_ISSUE
from schema.context import Info
from schema.issues.inputs import (
    AssignIssueInput,
    CancelJointMeetingInput,
    ClaimIssueInput,
    CommentOnIssueInput,
    ConfirmIssueInput,
    EscalateIssueInput,
    IssueNoteInput,
    MarkDuplicateInput,
    RecordMeetingDecisionInput,
    RemoveMeetingAgendaItemInput,
    ReportIssueInput,
    RescheduleJointMeetingInput,
    ScheduleJointMeetingInput,
    TriageIssueInput,
)
from schema.issues.meeting_types import JointMeetingType
from schema.issues.types import IssueType
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type
class IssueMutation:
    @declared(
        REPORT_ISSUE,
        "Report a problem in a compound.",
        "The due time comes from the SLA table.",
    )
    async def report_issue(
        self, info: Info, input: Annotated[ReportIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, REPORT_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.report_issue(info.context, data))

    @declared(
        CLAIM_ISSUE,
        "Claim a REPORTED issue (→ CLAIMED) for an organisation.",
    )
    async def claim_issue(
        self, info: Info, input: Annotated[ClaimIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, CLAIM_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.claim_issue(info.context, data))

    @declared(
        ASSIGN_ISSUE,
        "Assign an issue to an organisation (a REPORTED one becomes CLAIMED).",
    )
    async def assign_issue(
        self, info: Info, input: Annotated[AssignIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, ASSIGN_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.assign_issue(info.context, data))

    @declared(
        START_ISSUE,
        "Start work (CLAIMED or REOPENED → IN_PROGRESS).",
    )
    async def start_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, START_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.start_issue(info.context, data))

    @declared(
        RESOLVE_ISSUE,
        "Mark it solved (IN_PROGRESS → RESOLVED) with what was done; the reporter then confirms.",
    )
    async def resolve_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, RESOLVE_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.resolve_issue(info.context, data))

    @declared(
        CONFIRM_ISSUE,
        "The reporter closes a RESOLVED issue with a 1–5 rating, or reopens it.",
    )
    async def confirm_issue(
        self,
        info: Info,
        input: Annotated[ConfirmIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input(info, CONFIRM_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.confirm_issue(info.context, data))

    @declared(
        REJECT_ISSUE,
        "Reject a REPORTED issue with a reason (→ REJECTED).",
    )
    async def reject_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, REJECT_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.reject_issue(info.context, data))

    @declared(
        MARK_DUPLICATE,
        "Mark a REPORTED issue a duplicate of an original in the same compound (→ DUPLICATE).",
    )
    async def mark_duplicate(
        self,
        info: Info,
        input: Annotated[MarkDuplicateInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input(info, MARK_DUPLICATE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.mark_duplicate(info.context, data))

    @declared(
        COMMENT_ON_ISSUE,
        "Comment on an issue or link an attachment.",
    )
    async def comment_on_issue(
        self,
        info: Info,
        input: Annotated[CommentOnIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input(info, COMMENT_ON_ISSUE, input, input.to_domain)
        return IssueType.from_row(await issue_actions.comment_on_issue(info.context, data))

    @declared(
        ESCALATE_ISSUE,
        "Escalate an open issue to a joint meeting (→ ESCALATED), optionally onto a scheduled "
        "meeting's agenda.",
    )
    async def escalate_issue(
        self,
        info: Info,
        input: Annotated[EscalateIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input(info, ESCALATE_ISSUE, input, input.to_domain)
        return IssueType.from_row(await meetings.escalate_issue(info.context, data))

    @declared(
        TRIAGE_ISSUE,
        "Correct the priority and/or category the reporter chose, with a reason.",
        "The due time is recomputed: the SLA's allowed time (resolvers/issues/sla.csv) for the "
        "new priority and category, counted from the report or from the latest joint meeting "
        "decision; a TRIAGE entry on the timeline records before and after. "
        "A CLOSED, REJECTED or "
        "DUPLICATE issue is BAD_USER_INPUT with `extensions.reason` ISSUE_CLOSED; a correction "
        "that changes nothing, NOTHING_TO_CHANGE.",
    )
    async def triage_issue(
        self,
        info: Info,
        input: Annotated[TriageIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input(info, TRIAGE_ISSUE, input, input.to_domain)
        return IssueType.from_row(await triage.triage_issue(info.context, data))

    @declared(
        SCHEDULE_JOINT_MEETING,
        "Schedule a joint meeting of a compound or community with invited organisations and "
        "escalated issues on its agenda.",
    )
    async def schedule_joint_meeting(
        self,
        info: Info,
        input: Annotated[ScheduleJointMeetingInput, strawberry.argument(description=INPUT)],
    ) -> JointMeetingType:
        data = await decode_input(info, SCHEDULE_JOINT_MEETING, input, input.to_domain)
        return JointMeetingType.from_row(await meetings.schedule_meeting(info.context, data))

    @declared(
        RECORD_MEETING_DECISION,
        "Record a joint meeting's decision on an escalated issue: the issue goes IN_PROGRESS "
        "(optionally to a new assignee) with a new due time, and the decision joins its "
        "timeline.",
    )
    async def record_meeting_decision(
        self,
        info: Info,
        input: Annotated[RecordMeetingDecisionInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input(info, RECORD_MEETING_DECISION, input, input.to_domain)
        return IssueType.from_row(await meetings.record_decision(info.context, data))

    @declared(
        CANCEL_JOINT_MEETING,
        "Call off a SCHEDULED joint meeting (→ CANCELLED), say one left with nothing to decide; "
        "its issues stay ESCALATED for another meeting.",
    )
    async def cancel_joint_meeting(
        self,
        info: Info,
        input: Annotated[CancelJointMeetingInput, strawberry.argument(description=INPUT)],
    ) -> JointMeetingType:
        data = await decode_input(info, CANCEL_JOINT_MEETING, input, input.to_domain)
        return JointMeetingType.from_row(await meeting_changes.cancel_meeting(info.context, data))

    @declared(
        RESCHEDULE_JOINT_MEETING,
        "Move a SCHEDULED joint meeting to another time.",
    )
    async def reschedule_joint_meeting(
        self,
        info: Info,
        input: Annotated[RescheduleJointMeetingInput, strawberry.argument(description=INPUT)],
    ) -> JointMeetingType:
        data = await decode_input(info, RESCHEDULE_JOINT_MEETING, input, input.to_domain)
        return JointMeetingType.from_row(
            await meeting_changes.reschedule_meeting(info.context, data)
        )

    @declared(
        REMOVE_MEETING_AGENDA_ITEM,
        "Take an issue off a SCHEDULED joint meeting's agenda; the issue stays ESCALATED.",
    )
    async def remove_meeting_agenda_item(
        self,
        info: Info,
        input: Annotated[RemoveMeetingAgendaItemInput, strawberry.argument(description=INPUT)],
    ) -> JointMeetingType:
        data = await decode_input(info, REMOVE_MEETING_AGENDA_ITEM, input, input.to_domain)
        return JointMeetingType.from_row(
            await meeting_changes.remove_agenda_item(info.context, data)
        )
