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
from db.models.evaluation import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationStatus,
    EvaluationSubmission,
    FirmStanding,
    StandingList,
)
from db.models.issue import Issue, IssueEvent
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
from db.models.meeting import JointMeeting, JointMeetingItem, JointMeetingParticipant
from db.models.organisation import Organisation, OrganisationLink
from db.models.person import Person
from db.models.position import Position
from db.models.service_post import (
    PostClaim,
    PostFulfilment,
    ServicePost,
    ServicePostKind,
    ServiceRegistration,
    Weekday,
)
from db.models.station import DutyRole, Station, StationDuty, StationFunction, StationFunctionRow
from db.models.token import ApiToken, ApiTokenOrganisation

__all__ = [
    "PRIORITY_RANK",
    "AccountKind",
    "ApiToken",
    "ApiTokenOrganisation",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditOutcome",
    "CoBuildingNeed",
    "CoBuildingProject",
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
    "VolunteerService",
    "Weekday",
]
