"""Organisations form one tree; links join organisations across it for a term."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.enums import LinkKind, OrganisationKind
from db.paths import PathType
from db.types import UtcDateTime, enum_column, utcnow


class Organisation(SQLModel, table=True):
    """A node of the city tree: city > district > street > community > compound > building,
    plus the organisations that live inside or beside a compound."""

    __tablename__ = "organisation"
    __table_args__ = (
        sa.Index("ix_organisation_path", "path", unique=True),
        sa.Index("ix_organisation_kind_name", "kind", "name", "id"),
        sa.Index("ix_organisation_name_id", "name", "id"),
        sa.Index("ix_organisation_created", "created_at", "id"),
        # One party branch, owners' committee and supervisory board per compound.
        sa.Index(
            "uq_organisation_compound_body",
            "compound_id",
            "kind",
            unique=True,
            sqlite_where=sa.text(
                "kind IN ('PARTY_BRANCH', 'OWNERS_COMMITTEE', 'SUPERVISORY_BOARD')"
            ),
            postgresql_where=sa.text(
                "kind IN ('PARTY_BRANCH', 'OWNERS_COMMITTEE', 'SUPERVISORY_BOARD')"
            ),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: OrganisationKind = Field(sa_type=enum_column(OrganisationKind))
    parent_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    # Materialised path of ids, "/1/4/9/", so a subtree is one indexed prefix scan.
    path: str = Field(sa_type=PathType)
    depth: int = Field(default=0)
    compound_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class OrganisationLink(SQLModel, table=True):
    """A relation with a term: a firm SERVES a compound, a partner unit CO_BUILDS with one."""

    __tablename__ = "organisation_link"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_link_term"),
        sa.Index("ix_link_source_kind", "source_id", "kind"),
        sa.Index("ix_link_target_kind", "target_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: LinkKind = Field(sa_type=enum_column(LinkKind))
    source_id: int = Field(foreign_key="organisation.id")
    target_id: int = Field(foreign_key="organisation.id")
    start_date: date
    end_date: date | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
