"""All tables, imported here so that SQLModel.metadata knows every one of them."""

from db.models.audit import AuditChainHead, AuditEntry
from db.models.enums import (
    AuditOutcome,
    LinkKind,
    OrganisationKind,
    PartyMembership,
    PartyMemberStatus,
    PositionTitle,
)
from db.models.organisation import Organisation, OrganisationLink
from db.models.person import Person
from db.models.position import Position
from db.models.token import ApiToken

__all__ = [
    "ApiToken",
    "AuditChainHead",
    "AuditEntry",
    "AuditOutcome",
    "LinkKind",
    "Organisation",
    "OrganisationKind",
    "OrganisationLink",
    "PartyMemberStatus",
    "PartyMembership",
    "Person",
    "Position",
    "PositionTitle",
]
