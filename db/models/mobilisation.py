"""Mobilisation (一聲令下, 應急動員): a party branch or a street's or community's officer sends a
task to the party members, volunteers and service-post holders of a part of the tree; each
recipient acknowledges it and reports back. Turnout and response time roll up per compound
like the other indicators.

The recipients are resolved once, when it is sent, from the positions, residences, volunteer
teams and post claims of that day, and kept one row per person: who was asked stays a fact
even after people move or positions end.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class MobilisationUrgency(StrEnum):
    ROUTINE = "ROUTINE"  # 常規: within days
    URGENT = "URGENT"  # 緊急: within hours
    EMERGENCY = "EMERGENCY"  # 應急: at once (flood, fire, epidemic)


class MobilisationStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class MobilisationGroup(StrEnum):
    """Who a mobilisation calls on; a person in several is recorded under the first."""

    PARTY_MEMBER = "PARTY_MEMBER"  # party members living or holding a position there
    SERVICE_POST_HOLDER = "SERVICE_POST_HOLDER"  # in-service members with an active claim
    VOLUNTEER = "VOLUNTEER"  # volunteer team members and volunteers who served this year


class MobilisationOutcome(StrEnum):
    DONE = "DONE"
    PARTLY_DONE = "PARTLY_DONE"
    UNABLE = "UNABLE"


class Mobilisation(SQLModel, table=True):
    """One call to action, sent to a subtree of the organisation tree."""

    __tablename__ = "mobilisation"
    __table_args__ = (
        # A subtree's list, newest first; the sender's own list.
        sa.Index("ix_mobilisation_target", "target_id", "id"),
        sa.Index("ix_mobilisation_sender", "sender_id", "id"),
        sa.Index("ix_mobilisation_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The body that sends it: a compound's PARTY_BRANCH, a STREET or a COMMUNITY.
    sender_id: int = Field(foreign_key="organisation.id")
    # The root of the subtree it goes to (a compound, a building, a community, the street).
    target_id: int = Field(foreign_key="organisation.id")
    title: str = Field(max_length=200)
    instructions: str = Field(sa_type=sa.Text)
    urgency: MobilisationUrgency = Field(sa_type=enum_column(MobilisationUrgency))
    # The groups called on (MobilisationGroup values).
    groups: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Recipients are asked to report back by then.
    respond_by: datetime = Field(sa_type=UtcDateTime)
    status: MobilisationStatus = Field(
        default=MobilisationStatus.OPEN, sa_type=enum_column(MobilisationStatus)
    )
    sent_by_id: int | None = Field(default=None, foreign_key="person.id")
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class MobilisationRecipient(SQLModel, table=True):
    """One person a mobilisation called on, and their answer."""

    __tablename__ = "mobilisation_recipient"
    __table_args__ = (
        sa.Index("uq_mobilisation_recipient_person", "mobilisation_id", "person_id", unique=True),
        # A person's own mobilisations, newest first.
        sa.Index("ix_mobilisation_recipient_person", "person_id", "mobilisation_id"),
        # Indicators: a compound's recipients.
        sa.Index("ix_mobilisation_recipient_compound", "compound_id", "mobilisation_id"),
        sa.CheckConstraint(
            "reported_at IS NULL OR acknowledged_at IS NOT NULL",
            name="ck_mobilisation_recipient_ack_first",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    mobilisation_id: int = Field(foreign_key="mobilisation.id")
    person_id: int = Field(foreign_key="person.id")
    group: MobilisationGroup = Field(sa_type=enum_column(MobilisationGroup))
    # The compound the person was found in (where they live, serve or hold a position), for
    # the indicators; None when found only above every compound.
    compound_id: int | None = Field(default=None, foreign_key="organisation.id")
    acknowledged_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Seconds from sending to the acknowledgement (kept, so medians are one SQL statement).
    response_seconds: int | None = None
    reported_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    report: str | None = Field(default=None, max_length=2000)
    outcome: MobilisationOutcome | None = Field(
        default=None, sa_type=enum_column(MobilisationOutcome)
    )
    version: int = Field(default=1)
