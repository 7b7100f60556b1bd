"""People: residents, party members, officers and firm staff alike."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.enums import PartyMembership, PartyMemberStatus
from db.types import UtcDateTime, enum_column, utcnow


class Person(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (
        sa.Index("ix_person_name_id", "name", "id"),
        sa.Index("ix_person_residence", "residence_compound_id", "name", "id"),
        # The NEWEST order, within a compound (a scope branch) and over the city.
        sa.Index("ix_person_residence_created", "residence_compound_id", "created_at", "id"),
        sa.Index("ix_person_created", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    # Sensitive: read through their own permissions (see policies/policy.csv).
    phone: str | None = Field(default=None, max_length=32)
    id_number: str | None = Field(default=None, max_length=32)
    residence_compound_id: int | None = Field(default=None, foreign_key="organisation.id")
    residence_building_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    residence_unit: str | None = Field(default=None, max_length=32)
    party_membership: PartyMembership = Field(
        default=PartyMembership.NONE, sa_type=enum_column(PartyMembership)
    )
    party_member_status: PartyMemberStatus | None = Field(
        default=None, sa_type=enum_column(PartyMemberStatus)
    )
    party_joined_on: date | None = None
    # In-service members report to the community where they live (在職黨員報到).
    party_reported_community_id: int | None = Field(default=None, foreign_key="organisation.id")
    skills: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Platform administrators are made by the CLI only, never through the API.
    is_admin: bool = Field(default=False)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
