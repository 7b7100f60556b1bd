"""Service posts (服務崗位): in-service party members report to the compound where they live
(在職黨員報到), then claim the posts its party branch publishes and record their service."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class ServicePostKind(StrEnum):
    """The ten kinds of post: the source article names the first three "等10類"."""

    PARTY_BUILDING_GUIDANCE = "PARTY_BUILDING_GUIDANCE"  # 黨建工作指導崗
    CIVILISATION_PROMOTION = "CIVILISATION_PROMOTION"  # 文明創建宣傳崗
    SANITATION = "SANITATION"  # 環境衛生保潔崗
    SAFETY_PATROL = "SAFETY_PATROL"  # 治安巡邏崗
    ELDER_CARE = "ELDER_CARE"  # 居家養老服務崗
    CHILDCARE = "CHILDCARE"  # 托幼看護崗
    DISPUTE_MEDIATION = "DISPUTE_MEDIATION"  # 矛盾糾紛調解崗
    VOLUNTEER_SERVICE = "VOLUNTEER_SERVICE"  # 志願服務崗
    POLICY_PUBLICITY = "POLICY_PUBLICITY"  # 政策宣講崗
    NEIGHBOURHOOD_HELP = "NEIGHBOURHOOD_HELP"  # 鄰裡互助崗


class Weekday(StrEnum):
    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"


# "Only among active rows", for partial unique indexes.
ACTIVE_ONLY = sa.text("active")


class ServiceRegistration(SQLModel, table=True):
    """An in-service party member's report to the compound where they live."""

    __tablename__ = "service_registration"
    __table_args__ = (
        # One active registration per person.
        sa.Index(
            "uq_service_registration_person",
            "person_id",
            unique=True,
            sqlite_where=ACTIVE_ONLY,
            postgresql_where=ACTIVE_ONLY,
        ),
        sa.Index("ix_service_registration_compound", "compound_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    compound_id: int = Field(foreign_key="organisation.id")
    skills: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    availability: str | None = Field(default=None, max_length=200)
    reported_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    active: bool = Field(default=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ServicePost(SQLModel, table=True):
    """A post the compound's party branch publishes for reported members to claim."""

    __tablename__ = "service_post"
    __table_args__ = (
        sa.CheckConstraint("capacity > 0", name="ck_service_post_capacity"),
        # The last word on capacity: no claim, however concurrent, can push the count past it.
        sa.CheckConstraint(
            "claimed_count >= 0 AND claimed_count <= capacity", name="ck_service_post_claimed"
        ),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ck_service_post_term"),
        sa.Index("ix_service_post_compound", "compound_id", "id"),
        sa.Index("ix_service_post_compound_kind", "compound_id", "kind", "id"),
        sa.Index("ix_service_post_kind", "kind", "id"),
        sa.Index("ix_service_post_ends", "ends_on", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    kind: ServicePostKind = Field(sa_type=enum_column(ServicePostKind))
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    capacity: int
    # Active claims, kept with the post so that claiming locks one row and checks one number.
    claimed_count: int = Field(default=0)
    starts_on: date
    ends_on: date | None = None
    weekdays: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    schedule_note: str | None = Field(default=None, max_length=200)
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PostClaim(SQLModel, table=True):
    """A reported member taking one place on a post."""

    __tablename__ = "service_post_claim"
    __table_args__ = (
        sa.Index(
            "uq_service_post_claim_person",
            "post_id",
            "person_id",
            unique=True,
            sqlite_where=ACTIVE_ONLY,
            postgresql_where=ACTIVE_ONLY,
        ),
        sa.Index("ix_service_post_claim_post", "post_id", "id"),
        sa.Index("ix_service_post_claim_person", "person_id", "id"),
        sa.Index("ix_service_post_claim_compound", "compound_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="service_post.id")
    person_id: int = Field(foreign_key="person.id")
    registration_id: int = Field(foreign_key="service_registration.id")
    # The post's compound, kept here so claims are scoped in SQL without a join.
    compound_id: int = Field(foreign_key="organisation.id")
    claimed_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    active: bool = Field(default=True)
    version: int = Field(default=1)


class PostFulfilment(SQLModel, table=True):
    """One day's service on a claimed post."""

    __tablename__ = "service_post_fulfilment"
    __table_args__ = (
        sa.CheckConstraint("minutes BETWEEN 1 AND 1440", name="ck_service_post_fulfilment_minutes"),
        # One record per claim and day: a second one is a correction, not more service.
        sa.Index("uq_service_post_fulfilment_day", "claim_id", "served_on", unique=True),
        sa.Index("ix_service_post_fulfilment_post", "post_id", "served_on"),
        sa.Index("ix_service_post_fulfilment_person", "person_id", "served_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="service_post_claim.id")
    post_id: int = Field(foreign_key="service_post.id")
    person_id: int = Field(foreign_key="person.id")
    compound_id: int = Field(foreign_key="organisation.id")
    served_on: date
    # Whole minutes, so sums are exact on every backend; the API speaks hours.
    minutes: int
    note: str | None = Field(default=None, max_length=500)
    recorded_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
