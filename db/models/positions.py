"""Positions: who holds which role in which organisation, from when to when."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.enums import PositionTitle
from db.types import UtcDateTime, enum_column, utcnow


class Position(SQLModel, table=True):
    __tablename__ = "position"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_position_term"),
        sa.Index("ix_position_person_term", "person_id", "start_date", "end_date"),
        sa.Index("ix_position_org_title", "organisation_id", "title", "id"),
        # The term orders, within an organisation (a scope branch) and over the city.
        sa.Index("ix_position_org_start", "organisation_id", "start_date", "id"),
        sa.Index("ix_position_start", "start_date", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    organisation_id: int = Field(foreign_key="organisation.id")
    title: PositionTitle = Field(sa_type=enum_column(PositionTitle))
    start_date: date
    end_date: date | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
