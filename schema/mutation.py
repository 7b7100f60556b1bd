"""The Mutation root: every field goes through resolvers.audited.run_mutation.

Inputs are decoded by schema.mutation_support.decode_input, so a malformed id is
audited too. Feature modules add their own mutation classes as bases of Mutation.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.issues import actions as issue_actions
from resolvers.issues import meetings
from resolvers.organisations import links
from resolvers.organisations import operations as organisations
from resolvers.people import operations as people
from resolvers.positions import operations as positions
from schema.context import Info
from schema.evaluations.mutations import EvaluationMutation
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
from schema.love_bank.mutations import LoveBankMutation
from schema.mutation_support import INPUT, decode_input
from schema.organisations.inputs import (
    AppointPositionInput,
    CreateOrganisationInput,
    EndLinkInput,
    EndPositionInput,
    LinkOrganisationsInput,
    RegisterPersonInput,
    UpdateOrganisationInput,
    UpdatePersonInput,
)
from schema.organisations.link_types import OrganisationLinkType
from schema.organisations.types import OrganisationType
from schema.people.types import PersonType
from schema.positions.types import PositionType
from schema.service_posts.mutations import PostsMutation
from schema.tokens.mutations import TokenMutation


@strawberry.type(description="Change the compound's governance data; every call is audited.")
class Mutation(TokenMutation, PostsMutation, EvaluationMutation, LoveBankMutation):
    @strawberry.mutation(
        description="Create an organisation under a parent that fits its kind. "
        "Needs organisation:create over the parent (admin; a secretary inside their compound)."
    )
    async def create_organisation(
        self,
        info: Info,
        input: Annotated[CreateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await decode_input(
            info, "createOrganisation", "organisation", input, input.to_domain
        )
        return OrganisationType.from_row(
            await organisations.create_organisation(info.context, data)
        )

    @strawberry.mutation(description="Rename an organisation. Needs organisation:update over it.")
    async def update_organisation(
        self,
        info: Info,
        input: Annotated[UpdateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await decode_input(
            info, "updateOrganisation", "organisation", input, input.to_domain
        )
        return OrganisationType.from_row(
            await organisations.update_organisation(info.context, data)
        )

    @strawberry.mutation(
        description="Register a person, usually a resident. Needs person:create over their "
        "residence compound (the secretary; admins anywhere)."
    )
    async def register_person(
        self,
        info: Info,
        input: Annotated[RegisterPersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await decode_input(info, "registerPerson", "person", input, input.to_domain)
        return PersonType.from_row(await people.register_person(info.context, data))

    @strawberry.mutation(
        description="Change a person's record. Needs person:update over their residence compound, "
        "and over the new one when they move."
    )
    async def update_person(
        self,
        info: Info,
        input: Annotated[UpdatePersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await decode_input(info, "updatePerson", "person", input, input.to_domain)
        return PersonType.from_row(await people.update_person(info.context, data))

    @strawberry.mutation(
        description="Appoint a person to a title. Needs position:create over the organisation "
        "(the compound's secretary). A single-holder title (SECRETARY, COMMITTEE_CHAIR) with an "
        "overlapping holder is a CONFLICT."
    )
    async def appoint_position(
        self,
        info: Info,
        input: Annotated[AppointPositionInput, strawberry.argument(description=INPUT)],
    ) -> PositionType:
        data = await decode_input(info, "appointPosition", "position", input, input.to_domain)
        return PositionType.from_row(await positions.appoint_position(info.context, data))

    @strawberry.mutation(
        description="End a position; the access it granted ends that day. Needs position:end."
    )
    async def end_position(
        self, info: Info, input: Annotated[EndPositionInput, strawberry.argument(description=INPUT)]
    ) -> PositionType:
        data = await decode_input(info, "endPosition", "position", input, input.to_domain)
        return PositionType.from_row(await positions.end_position(info.context, data))

    @strawberry.mutation(
        description="Link a firm or partner unit to a compound for a term. Needs link:create over "
        "the compound."
    )
    async def link_organisations(
        self,
        info: Info,
        input: Annotated[LinkOrganisationsInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationLinkType:
        data = await decode_input(info, "linkOrganisations", "link", input, input.to_domain)
        return OrganisationLinkType.from_row(await links.link_organisations(info.context, data))

    @strawberry.mutation(description="End a link. Needs link:end over the compound.")
    async def end_link(
        self, info: Info, input: Annotated[EndLinkInput, strawberry.argument(description=INPUT)]
    ) -> OrganisationLinkType:
        data = await decode_input(info, "endLink", "link", input, input.to_domain)
        return OrganisationLinkType.from_row(await links.end_link(info.context, data))

    @strawberry.mutation(
        description="Report a problem in a compound. Needs issue:report there (its residents, "
        "branch and committees); filing for another person needs issue:report_for_others. The "
        "due time comes from the SLA table."
    )
    async def report_issue(
        self, info: Info, input: Annotated[ReportIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, "reportIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.report_issue(info.context, data))

    @strawberry.mutation(
        description="Claim a REPORTED issue (→ CLAIMED) for an organisation. Needs issue:claim "
        "(the compound's branch and committees)."
    )
    async def claim_issue(
        self, info: Info, input: Annotated[ClaimIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, "claimIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.claim_issue(info.context, data))

    @strawberry.mutation(
        description="Assign an issue to an organisation (a REPORTED one becomes CLAIMED). Needs "
        "issue:assign."
    )
    async def assign_issue(
        self, info: Info, input: Annotated[AssignIssueInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, "assignIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.assign_issue(info.context, data))

    @strawberry.mutation(
        description="Start work (CLAIMED or REOPENED → IN_PROGRESS). Needs issue:start (the "
        "branch and committees; the firm for issues assigned to it)."
    )
    async def start_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, "startIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.start_issue(info.context, data))

    @strawberry.mutation(
        description="Mark it solved (IN_PROGRESS → RESOLVED) with what was done; the reporter then "
        "confirms. Needs issue:resolve."
    )
    async def resolve_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, "resolveIssue", "issue", input, input.to_domain)
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
        data = await decode_input(info, "confirmIssue", "issue", input, input.to_domain)
        return IssueType.from_row(await issue_actions.confirm_issue(info.context, data))

    @strawberry.mutation(
        description="Reject a REPORTED issue with a reason (→ REJECTED). Needs issue:reject."
    )
    async def reject_issue(
        self, info: Info, input: Annotated[IssueNoteInput, strawberry.argument(description=INPUT)]
    ) -> IssueType:
        data = await decode_input(info, "rejectIssue", "issue", input, input.to_domain)
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
        data = await decode_input(info, "markDuplicate", "issue", input, input.to_domain)
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
        data = await decode_input(info, "commentOnIssue", "issue", input, input.to_domain)
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
        data = await decode_input(info, "escalateIssue", "issue", input, input.to_domain)
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
        data = await decode_input(info, "scheduleJointMeeting", "meeting", input, input.to_domain)
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
        data = await decode_input(info, "recordMeetingDecision", "issue", input, input.to_domain)
        return IssueType.from_row(await meetings.record_decision(info.context, data))
