"""Enumerations of the domain, shared by tables, policies and the schema."""

from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    STREET = "STREET"
    COMMUNITY = "COMMUNITY"
    COMPOUND = "COMPOUND"
    BUILDING = "BUILDING"
    PARTY_BRANCH = "PARTY_BRANCH"
    PARTY_GROUP = "PARTY_GROUP"
    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"
    SUPERVISORY_BOARD = "SUPERVISORY_BOARD"
    PROPERTY_FIRM = "PROPERTY_FIRM"
    PARTNER_UNIT = "PARTNER_UNIT"
    SOCIAL_ORGANISATION = "SOCIAL_ORGANISATION"
    VOLUNTEER_TEAM = "VOLUNTEER_TEAM"
    DEPARTMENT = "DEPARTMENT"
    # A grid (網格) of a community: one or more of its compounds; a compound may also sit
    # straight under its community.
    GRID = "GRID"


class LinkKind(StrEnum):
    SERVES = "SERVES"
    CO_BUILDS = "CO_BUILDS"


class PartyMembership(StrEnum):
    NONE = "NONE"
    MEMBER = "MEMBER"


class PartyMemberStatus(StrEnum):
    IN_SERVICE = "IN_SERVICE"
    RETIRED = "RETIRED"


class PositionTitle(StrEnum):
    SECRETARY = "SECRETARY"
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY"
    BRANCH_COMMITTEE_MEMBER = "BRANCH_COMMITTEE_MEMBER"
    GROUP_LEADER = "GROUP_LEADER"
    PARTY_HOUSEHOLD_HEAD = "PARTY_HOUSEHOLD_HEAD"
    COMMITTEE_CHAIR = "COMMITTEE_CHAIR"
    COMMITTEE_MEMBER = "COMMITTEE_MEMBER"
    SUPERVISOR_BOARD_MEMBER = "SUPERVISOR_BOARD_MEMBER"
    PROPERTY_MANAGER = "PROPERTY_MANAGER"
    PROPERTY_STAFF = "PROPERTY_STAFF"
    PARTY_BUILDING_LIAISON = "PARTY_BUILDING_LIAISON"
    PROPERTY_MONITOR = "PROPERTY_MONITOR"
    STREET_OFFICER = "STREET_OFFICER"
    # Leads a volunteer team (志願服務隊) inside a compound; records its members' service.
    VOLUNTEER_TEAM_LEADER = "VOLUNTEER_TEAM_LEADER"
    # Chairs the owners' supervisory board (監事會主任); before it, boards used COMMITTEE_CHAIR,
    # which still works there and holds the same seat.
    SUPERVISORY_BOARD_CHAIR = "SUPERVISORY_BOARD_CHAIR"
    # A grid's member (網格員): reads what a community officer reads, within the grid only.
    GRID_WORKER = "GRID_WORKER"


class AuditOutcome(StrEnum):
    SUCCESS = "SUCCESS"
    DENIED = "DENIED"
    REJECTED = "REJECTED"
    FAILED = "FAILED"


class IssueStatus(StrEnum):
    REPORTED = "REPORTED"
    CLAIMED = "CLAIMED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    REOPENED = "REOPENED"
    ESCALATED = "ESCALATED"
    REJECTED = "REJECTED"
    DUPLICATE = "DUPLICATE"


# Sort rank of each status (the issues list's STATUS order, ascending): the lifecycle's open
# states in the order an issue reaches them, then awaiting the reporter, then the final ones.
STATUS_RANK: dict[IssueStatus, int] = {
    IssueStatus.REPORTED: 1,
    IssueStatus.CLAIMED: 2,
    IssueStatus.IN_PROGRESS: 3,
    IssueStatus.REOPENED: 4,
    IssueStatus.ESCALATED: 5,
    IssueStatus.RESOLVED: 6,
    IssueStatus.CLOSED: 7,
    IssueStatus.REJECTED: 8,
    IssueStatus.DUPLICATE: 9,
}


class IssueChannel(StrEnum):
    PHOTO_REPORT = "PHOTO_REPORT"
    MICRO_WISH = "MICRO_WISH"
    HELP_REQUEST = "HELP_REQUEST"
    COMPLAINT = "COMPLAINT"
    SUGGESTION = "SUGGESTION"
    DOOR_TO_DOOR_VISIT = "DOOR_TO_DOOR_VISIT"
    HOTLINE = "HOTLINE"


class IssueCategory(StrEnum):
    PARKING = "PARKING"
    ILLEGAL_CONSTRUCTION = "ILLEGAL_CONSTRUCTION"
    EV_CHARGING = "EV_CHARGING"
    DRAINAGE = "DRAINAGE"
    ELEVATOR = "ELEVATOR"
    OLD_COMPOUND_RENOVATION = "OLD_COMPOUND_RENOVATION"
    ENVIRONMENT = "ENVIRONMENT"
    ELDER_CARE = "ELDER_CARE"
    CHILDCARE = "CHILDCARE"
    SAFETY = "SAFETY"
    OTHER = "OTHER"


class IssuePriority(StrEnum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"


# Sort rank of each priority: higher is more pressing.
PRIORITY_RANK: dict[IssuePriority, int] = {
    IssuePriority.LOW: 1,
    IssuePriority.NORMAL: 2,
    IssuePriority.HIGH: 3,
    IssuePriority.URGENT: 4,
}


class IssueEventKind(StrEnum):
    REPORT = "REPORT"
    STATUS_CHANGE = "STATUS_CHANGE"
    COMMENT = "COMMENT"
    CLAIM = "CLAIM"
    ASSIGNMENT = "ASSIGNMENT"
    ESCALATION = "ESCALATION"
    DECISION = "DECISION"
    ATTACHMENT = "ATTACHMENT"
    # The branch corrected the priority and/or category the reporter chose (triageIssue).
    TRIAGE = "TRIAGE"


class MeetingStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"
    CANCELLED = "CANCELLED"
