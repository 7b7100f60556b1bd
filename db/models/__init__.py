"""All tables, imported here so that SQLModel.metadata knows every one of them."""

from db.models.audit import AuditChainHead, AuditEntry
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
from db.models.token import ApiToken, ApiTokenOrganisation

__all__ = [
    "PRIORITY_RANK",
    "ApiToken",
    "ApiTokenOrganisation",
    "AuditChainHead",
    "AuditEntry",
    "AuditOutcome",
    "CoBuildingNeed",
    "CoBuildingProject",
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
    "LinkKind",
    "MeetingStatus",
    "Organisation",
    "OrganisationKind",
    "OrganisationLink",
    "PartyMemberStatus",
    "PartyMembership",
    "Person",
    "Position",
    "PositionTitle",
    "PostClaim",
    "PostFulfilment",
    "ProjectStatus",
    "ServicePost",
    "ServicePostKind",
    "ServiceRegistration",
    "StandingList",
    "Weekday",
]
