"""Mutations of issues and joint meetings; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.issues import actions as issue_actions
from resolvers.issues import meetings
from schema.context import Info
from schema.issues.inputs import (
    AssignIssueInput,
    ClaimIssueInput,
    CommentOnIssueInput,
    ConfirmIssueInput,
    EscalateIssueInput,
    IssueNoteInput,
    MarkDuplicateInput,
    RecordMeetingDecisionInput,
    ReportIssueInput,
    ScheduleJointMeetingInput,
)
from schema.issues.meeting_types import JointMeetingType
from schema.issues.types import IssueType
from schema.mutation_support import INPUT, decode_input_as


@strawberry.type
class IssueMutation:
    @strawberry.mutation(
        description="Report a problem in a compound. Needs issue:report there (its residents, "
        "branch and committees); filing for another person needs issue:report_for_others. The "
        "due time comes from the SLA table."
    )
    async def report_issue(
        self, info: Info, input: Annotated[ReportIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input_as(info, "reportIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.report_issue(info.context, data))

    @strawberry.mutation(
        description="Claim a REPORTED issue (→ CLAIMED) for an organisation. Needs issue:claim "
        "(the compound's branch and committees)."
    )
    async def claim_issue(
        self, info: Info, input: Annotated[ClaimIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input_as(info, "claimIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.claim_issue(info.context, data))

    @strawberry.mutation(
        description="Assign an issue to an organisation (a REPORTED one becomes CLAIMED). Needs "
        "issue:assign."
    )
    async def assign_issue(
        self, info: Info, input: Annotated[AssignIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input_as(info, "assignIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.assign_issue(info.context, data))

    @strawberry.mutation(
        description="Start work (CLAIMED or REOPENED → IN_PROGRESS). Needs issue:start (the "
        "branch and committees; the firm for issues assigned to it)."
    )
    async def start_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input_as(info, "startIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.start_issue(info.context, data))

    @strawberry.mutation(
        description="Mark it solved (IN_PROGRESS → RESOLVED) with what was done; the reporter then "
        "confirms. Needs issue:resolve."
    )
    async def resolve_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input_as(info, "resolveIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.resolve_issue(info.context, data))

    @strawberry.mutation(
        description="The reporter closes a RESOLVED issue with a 1–5 rating, or reopens it. Needs "
        "issue:confirm, which only the reporter holds."
    )
    async def confirm_issue(
        self,
        info: Info,
        input: Annotated[ConfirmIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input_as(info, "confirmIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.confirm_issue(info.context, data))

    @strawberry.mutation(
        description="Reject a REPORTED issue with a reason (→ REJECTED). Needs issue:reject."
    )
    async def reject_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input_as(info, "rejectIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.reject_issue(info.context, data))

    @strawberry.mutation(
        description="Mark a REPORTED issue a duplicate of an original in the same compound (→ "
        "DUPLICATE). Needs issue:mark_duplicate."
    )
    async def mark_duplicate(
        self,
        info: Info,
        input: Annotated[MarkDuplicateInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input_as(info, "markDuplicate", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.mark_duplicate(info.context, data))

    @strawberry.mutation(
        description="Comment on an issue or link an attachment. Needs issue:comment (the reporter "
        "on their own issue, the branch and committees, the firm it is assigned to)."
    )
    async def comment_on_issue(
        self,
        info: Info,
        input: Annotated[CommentOnIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input_as(info, "commentOnIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.comment_on_issue(info.context, data))

    @strawberry.mutation(
        description="Escalate an open issue to a joint meeting (→ ESCALATED), optionally onto a "
        "scheduled meeting's agenda. Needs issue:escalate."
    )
    async def escalate_issue(
        self,
        info: Info,
        input: Annotated[EscalateIssueInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input_as(info, "escalateIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await meetings.escalate_issue(info.context, data))

    @strawberry.mutation(
        description="Schedule a joint meeting of a compound or community with invited "
        "organisations and escalated issues on its agenda. Needs meeting:schedule (the secretary)."
    )
    async def schedule_joint_meeting(
        self,
        info: Info,
        input: Annotated[ScheduleJointMeetingInput, strawberry.argument(description=INPUT)],
    ) -> JointMeetingType:
        data = await decode_input_as(
            info, "scheduleJointMeeting", "meeting", input, input.to_domain
        )
        return JointMeetingType.from_row(await meetings.schedule_meeting(info.context, data))

    @strawberry.mutation(
        description="Record a joint meeting's decision on an escalated issue: the issue goes "
        "IN_PROGRESS (optionally to a new assignee) and the decision joins its timeline. Needs "
        "meeting:decide (the secretary)."
    )
    async def record_meeting_decision(
        self,
        info: Info,
        input: Annotated[RecordMeetingDecisionInput, strawberry.argument(description=INPUT)],
    ) -> IssueType:
        data = await decode_input_as(info, "recordMeetingDecision", "issue", input, input.to_domain)
        return IssueType.from_row(await meetings.record_decision(info.context, data))
