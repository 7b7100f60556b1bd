"""How long each text argument and input field may be: the column it is stored in, or a
stated limit for free text kept in unbounded columns; and which optional fields may not be
null.

schema.input_rules refuses to build a schema with a String input field or argument that
has no length here, so a new field cannot forget its limit. Keys are GraphQL names
(input type, field), which the breaking-change check keeps stable.
"""

from __future__ import annotations

from typing import Any

from db.models import (
    ApiToken,
    AuditEntry,
    CoBuildingNeed,
    CoBuildingProject,
    Commendation,
    CompoundMeeting,
    CompoundMeetingAttendance,
    EvaluationCriterion,
    FundEntry,
    Issue,
    IssueEvent,
    JointMeeting,
    MentorPair,
    Mobilisation,
    MobilisationRecipient,
    Notice,
    Organisation,
    Person,
    PostFulfilment,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    VolunteerService,
    WebhookEndpoint,
)
from resolvers.disclosure.actions import BODY_LIMIT

# Free text kept in TEXT columns, as the resolvers' clean_text limits it.
NOTE = 2_000
DESCRIPTION = 2_000
MINUTES = 20_000
NOTICE_BODY = BODY_LIMIT
# A search of the issue list (resolvers.issues).
SEARCH = 100
# A skill as resolvers.validation.clean_skills keeps it.
SKILL = 40
# A station duty's clock time, "HH:MM" or "HH:MM:SS".
CLOCK_TIME = 8
# Our cursors are base64 of a short JSON array; the longest (a 200-character name key) fits.
CURSOR = 2_000


def column_length(attribute: Any) -> int:
    """The declared length of a SQLModel string column (e.g. ``Organisation.name`` -> 200)."""
    column_type = getattr(attribute, "type", None)
    length = getattr(column_type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{attribute} has no declared length; give the limit as a number")
    return length


# Optional fields of update inputs whose column cannot be empty: leave them out to keep the
# value; an explicit null is refused rather than failing in the database.
NOT_NULL: frozenset[tuple[str, str]] = frozenset(
    {("UpdatePersonInput", "name"), ("UpdateOrganisationInput", "name")}
)

# String arguments of output fields, by argument name: cursors, and enum names (enumLabels).
ARGUMENT_LENGTHS: dict[str, int] = {"after": CURSOR, "before": CURSOR, "enums": 100}

INPUT_FIELD_LENGTHS: dict[tuple[str, str], int] = {
    # Organisations, people, positions, links
    ("CreateOrganisationInput", "name"): column_length(Organisation.name),
    ("UpdateOrganisationInput", "name"): column_length(Organisation.name),
    ("OrganisationFilter", "nameContains"): column_length(Organisation.name),
    ("PersonFilter", "nameContains"): column_length(Person.name),
    ("RegisterPersonInput", "name"): column_length(Person.name),
    ("RegisterPersonInput", "phone"): column_length(Person.phone),
    ("RegisterPersonInput", "idNumber"): column_length(Person.id_number),
    ("RegisterPersonInput", "unit"): column_length(Person.residence_unit),
    ("RegisterPersonInput", "skills"): SKILL,
    ("UpdatePersonInput", "name"): column_length(Person.name),
    ("UpdatePersonInput", "phone"): column_length(Person.phone),
    ("UpdatePersonInput", "idNumber"): column_length(Person.id_number),
    ("UpdatePersonInput", "unit"): column_length(Person.residence_unit),
    ("UpdatePersonInput", "skills"): SKILL,
    # Issues and joint meetings
    ("IssueFilter", "search"): SEARCH,
    ("ReportIssueInput", "title"): column_length(Issue.title),
    ("ReportIssueInput", "description"): DESCRIPTION,
    ("ReportIssueInput", "attachmentUrl"): column_length(IssueEvent.attachment_url),
    ("CommentOnIssueInput", "body"): NOTE,
    ("CommentOnIssueInput", "attachmentUrl"): column_length(IssueEvent.attachment_url),
    ("IssueNoteInput", "note"): NOTE,
    ("ConfirmIssueInput", "comment"): NOTE,
    ("EscalateIssueInput", "reason"): NOTE,
    ("TriageIssueInput", "reason"): NOTE,
    ("PairMentorInput", "note"): column_length(MentorPair.note),
    ("EndMentoringInput", "note"): column_length(MentorPair.note),
    ("CommendInput", "title"): column_length(Commendation.title),
    ("CommendInput", "citation"): NOTE,
    ("WithdrawCommendationInput", "reason"): NOTE,
    ("ScheduleJointMeetingInput", "title"): column_length(JointMeeting.title),
    ("ScheduleJointMeetingInput", "location"): column_length(JointMeeting.location),
    ("RecordMeetingDecisionInput", "decision"): NOTE,
    ("RecordMeetingDecisionInput", "minutes"): MINUTES,
    ("CancelJointMeetingInput", "reason"): NOTE,
    # Audit log and tokens
    ("AuditLogFilter", "operation"): column_length(AuditEntry.operation),
    ("AuditLogFilter", "resourceType"): column_length(AuditEntry.resource_type),
    ("IssueTokenInput", "name"): column_length(ApiToken.name),
    ("RegisterWebhookInput", "url"): column_length(WebhookEndpoint.url),
    # Evaluations and firm standing
    ("CriterionInput", "name"): column_length(EvaluationCriterion.name),
    ("SubmitEvaluationScoreInput", "comment"): NOTE,
    ("SetFirmStandingInput", "reason"): NOTE,
    # Service posts and co-building
    ("ReportForServiceInput", "skills"): SKILL,
    ("ReportForServiceInput", "availability"): column_length(ServiceRegistration.availability),
    ("PublishServicePostInput", "title"): column_length(ServicePost.title),
    ("PublishServicePostInput", "description"): DESCRIPTION,
    ("ServiceScheduleInput", "description"): column_length(ServicePost.schedule_note),
    ("RecordPostFulfilmentInput", "note"): column_length(PostFulfilment.note),
    ("PublishNeedInput", "title"): column_length(CoBuildingNeed.title),
    ("PublishNeedInput", "description"): DESCRIPTION,
    ("PublishNeedInput", "category"): column_length(CoBuildingNeed.category),
    ("CommitProjectInput", "title"): column_length(CoBuildingProject.title),
    ("CommitProjectInput", "description"): DESCRIPTION,
    ("CompleteProjectInput", "outcome"): NOTE,
    ("CancelProjectInput", "reason"): NOTE,
    # Public disclosure
    ("PublishNoticeInput", "title"): column_length(Notice.title),
    ("PublishNoticeInput", "body"): NOTICE_BODY,
    ("WithdrawNoticeInput", "reason"): NOTE,
    ("AskAboutNoticeInput", "question"): NOTE,
    ("AnswerNoticeQuestionInput", "answer"): NOTE,
    # Compound meetings (小區黨支部先議)
    ("ScheduleCompoundMeetingInput", "title"): column_length(CompoundMeeting.title),
    ("ScheduleCompoundMeetingInput", "location"): column_length(CompoundMeeting.location),
    ("CompoundMeetingItemInput", "matter"): NOTE,
    ("AttendeeInput", "role"): column_length(CompoundMeetingAttendance.role),
    ("ResolutionInput", "resolution"): NOTE,
    ("HoldCompoundMeetingInput", "minutes"): MINUTES,
    ("CancelCompoundMeetingInput", "reason"): NOTE,
    # Mobilisation
    ("SendMobilisationInput", "title"): column_length(Mobilisation.title),
    ("SendMobilisationInput", "instructions"): 5_000,
    ("ReportMobilisationInput", "report"): column_length(MobilisationRecipient.report),
    # Funds
    ("GrantFundsInput", "memo"): column_length(FundEntry.memo),
    ("RecordPublicRevenueInput", "memo"): column_length(FundEntry.memo),
    ("DistributeRevenueInput", "memo"): column_length(FundEntry.memo),
    ("SpendBranchFundsInput", "purpose"): column_length(FundEntry.memo),
    ("ReverseFundEntryInput", "reason"): column_length(FundEntry.memo),
    # Stations and the love bank
    ("OpenStationInput", "name"): column_length(Station.name),
    ("OpenStationInput", "address"): column_length(Station.address),
    ("SetStationDutyInput", "startsAt"): CLOCK_TIME,
    ("SetStationDutyInput", "endsAt"): CLOCK_TIME,
    ("RecordVolunteerServiceInput", "activity"): column_length(VolunteerService.activity),
    ("ListRewardInput", "name"): column_length(Reward.name),
}
