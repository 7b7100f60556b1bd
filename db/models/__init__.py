"""All tables, imported here so that SQLModel.metadata knows every one of them."""

from db.models.audit import AuditChainHead, AuditEntry
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
from db.models.station import DutyRole, Station, StationDuty, StationFunction, StationFunctionRow
from db.models.token import ApiToken

__all__ = [
    "PRIORITY_RANK",
    "AccountKind",
    "ApiToken",
    "AuditChainHead",
    "AuditEntry",
    "AuditOutcome",
    "DutyRole",
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
    "Reward",
    "ServiceStatus",
    "Station",
    "StationDuty",
    "StationFunction",
    "StationFunctionRow",
    "VolunteerService",
]
