"""All tables, imported here so that SQLModel.metadata knows every one of them."""

from db.models.audit import AuditChainHead, AuditCheckpoint, AuditEntry
from db.models.co_building import CoBuildingNeed, CoBuildingProject, ProjectStatus
from db.models.enums import (
    PRIORITY_RANK,
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
from db.models.evaluations import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationStatus,
    EvaluationSubmission,
    FirmStanding,
    StandingList,
)
from db.models.issues import (
    Issue,
    IssueEvent,
    JointMeeting,
    JointMeetingItem,
    JointMeetingParticipant,
)
from db.models.love_bank import (
    AccountKind,
    LedgerEntry,
    LedgerEntryKind,
    LedgerLine,
    PointsAccount,
    Reward,
    ServiceStatus,
    VolunteerService,
)
from db.models.organisations import Organisation, OrganisationLink
from db.models.outbox import OutboxEvent
from db.models.people import Person
from db.models.positions import Position
from db.models.service_posts import (
    PostClaim,
    PostFulfilment,
    ServicePost,
    ServicePostKind,
    ServiceRegistration,
    Weekday,
)
from db.models.stations import DutyRole, Station, StationDuty, StationFunction, StationFunctionRow
from db.models.tokens import AccessEpoch, ApiToken, ApiTokenOrganisation, ConsoleSignIn
from db.models.uploads import Upload

__all__ = [
    "PRIORITY_RANK",
    "AccessEpoch",
    "AccountKind",
    "ApiToken",
    "ApiTokenOrganisation",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditOutcome",
    "CoBuildingNeed",
    "CoBuildingProject",
    "ConsoleSignIn",
    "DutyRole",
    "Evaluation",
    "EvaluationCriterion",
    "EvaluationScore",
    "EvaluationStatus",
    "EvaluationSubmission",
    "FirmStanding",
    "Issue",
    "IssueCategory",
    "IssueChannel",
    "IssueEvent",
    "IssueEventKind",
    "IssuePriority",
    "IssueStatus",
    "JointMeeting",
    "JointMeetingItem",
    "JointMeetingParticipant",
    "LedgerEntry",
    "LedgerEntryKind",
    "LedgerLine",
    "LinkKind",
    "MeetingStatus",
    "Organisation",
    "OrganisationKind",
    "OrganisationLink",
    "OutboxEvent",
    "PartyMemberStatus",
    "PartyMembership",
    "Person",
    "PointsAccount",
    "Position",
    "PositionTitle",
    "PostClaim",
    "PostFulfilment",
    "ProjectStatus",
    "Reward",
    "ServicePost",
    "ServicePostKind",
    "ServiceRegistration",
    "ServiceStatus",
    "StandingList",
    "Station",
    "StationDuty",
    "StationFunction",
    "StationFunctionRow",
    "Upload",
    "VolunteerService",
    "Weekday",
]
