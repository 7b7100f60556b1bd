"""Co-building lists (共建清單, 供需項目清單): a compound's yearly needs, and the projects its
partner units commit to against them — "at least one practical thing a year"."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class ProjectStatus(StrEnum):
    COMMITTED = "COMMITTED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class CoBuildingNeed(SQLModel, table=True):
    """One line of a compound's needs list for a year."""

    __tablename__ = "co_building_need"
    __table_args__ = (
        sa.Index("ix_co_building_need_compound", "compound_id", "year", "id"),
        sa.Index("ix_co_building_need_year", "year", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    year: int
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    category: str | None = Field(default=None, max_length=40)
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class CoBuildingProject(SQLModel, table=True):
    """A partner's commitment to do one thing for a compound in a year."""

    __tablename__ = "co_building_project"
    __table_args__ = (
        sa.CheckConstraint(
            "status <> 'COMPLETED' OR completed_on IS NOT NULL",
            name="ck_co_building_project_completed",
        ),
        sa.Index("ix_co_building_project_compound", "compound_id", "year", "status", "id"),
        sa.Index("ix_co_building_project_partner", "partner_id", "year", "status", "id"),
        sa.Index("ix_co_building_project_year", "year", "status", "id"),
        sa.Index("ix_co_building_project_status", "status", "id"),
        sa.Index("ix_co_building_project_need", "need_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    partner_id: int = Field(foreign_key="organisation.id")
    need_id: int | None = Field(default=None, foreign_key="co_building_need.id")
    year: int
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    due_on: date | None = None
    status: ProjectStatus = Field(
        default=ProjectStatus.COMMITTED, sa_type=enum_column(ProjectStatus)
    )
    committed_on: date
    completed_on: date | None = None
    outcome: str | None = Field(default=None, sa_type=sa.Text)
    cancel_reason: str | None = Field(default=None, sa_type=sa.Text)
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
