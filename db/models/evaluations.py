"""Annual evaluations (紅色物業星級評價, 評議) and a property firm's standing (黑白名單).

Each year the compound party branch opens an evaluation of the firm serving the
compound or of its owners' committee: named criteria with integer weights summing
to 100, scored 1–5 stars by the compound's people while the window is open, one
submission per person. Closing freezes the result (integer sums, so every backend
gives the same exact figures). A firm's standing is a white or black list entry
for a term, set by a supervisor over the compounds the firm serves.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class EvaluationStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class StandingList(StrEnum):
    WHITE = "WHITE"
    BLACK = "BLACK"


class Evaluation(SQLModel, table=True):
    """One year's evaluation of one subject (the firm or the owners' committee) in one compound."""

    __tablename__ = "evaluation"
    __table_args__ = (
        sa.CheckConstraint("closes_at > opens_at", name="ck_evaluation_window"),
        # One evaluation per compound, subject and year (also what concurrent opens race on).
        sa.Index(
            "uq_evaluation_compound_subject_year", "compound_id", "subject_id", "year", unique=True
        ),
        # The list's filters, each with the list's order (year, id) behind it.
        sa.Index("ix_evaluation_compound_year", "compound_id", "year", "id"),
        sa.Index("ix_evaluation_subject_year", "subject_id", "year", "id"),
        sa.Index("ix_evaluation_status_year", "status", "year", "id"),
        sa.Index("ix_evaluation_year", "year", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    subject_id: int = Field(foreign_key="organisation.id")
    year: int
    status: EvaluationStatus = Field(
        default=EvaluationStatus.OPEN, sa_type=enum_column(EvaluationStatus)
    )
    opens_at: datetime = Field(sa_type=UtcDateTime)
    closes_at: datetime = Field(sa_type=UtcDateTime)
    opened_by_id: int | None = Field(default=None, foreign_key="person.id")
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by_id: int | None = Field(default=None, foreign_key="person.id")
    # Frozen when closed. Every submission scores every criterion, so the overall weighted
    # mean is weighted_star_sum / (100 * scorer_count) exactly.
    scorer_count: int | None = None
    eligible_count: int | None = None
    weighted_star_sum: int | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class EvaluationCriterion(SQLModel, table=True):
    """A named criterion with its weight (a percentage; an evaluation's weights sum to 100)."""

    __tablename__ = "evaluation_criterion"
    __table_args__ = (
        sa.CheckConstraint("weight BETWEEN 1 AND 100", name="ck_evaluation_criterion_weight"),
        sa.Index("uq_evaluation_criterion_name", "evaluation_id", "name", unique=True),
        sa.Index("uq_evaluation_criterion_position", "evaluation_id", "position", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id")
    position: int
    name: str = Field(max_length=100)
    weight: int
    # Frozen when the evaluation closes.
    score_count: int | None = None
    star_sum: int | None = None


class EvaluationSubmission(SQLModel, table=True):
    """One person's scores for one evaluation. Never shown to anyone but its author."""

    __tablename__ = "evaluation_submission"
    __table_args__ = (
        # One submission per person and evaluation, whatever races to insert it.
        sa.Index("uq_evaluation_submission_person", "evaluation_id", "person_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id")
    person_id: int = Field(foreign_key="person.id")
    comment: str | None = Field(default=None, sa_type=sa.Text)
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class EvaluationScore(SQLModel, table=True):
    """The stars one submission gives one criterion."""

    __tablename__ = "evaluation_score"
    __table_args__ = (
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="ck_evaluation_score_stars"),
        # Closing sums each criterion's stars.
        sa.Index("ix_evaluation_score_criterion", "criterion_id", "stars"),
    )

    submission_id: int = Field(foreign_key="evaluation_submission.id", primary_key=True)
    criterion_id: int = Field(foreign_key="evaluation_criterion.id", primary_key=True)
    stars: int


class FirmStanding(SQLModel, table=True):
    """A property firm on the white or black list, in force from starts_on up to, not
    including, ends_on (open-ended when null). One firm's entries never overlap."""

    __tablename__ = "firm_standing"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ck_firm_standing_term"),
        sa.Index("ix_firm_standing_firm", "firm_id", "id"),
        sa.Index("ix_firm_standing_kind", "kind", "id"),
        sa.Index("ix_firm_standing_term", "starts_on", "ends_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    firm_id: int = Field(foreign_key="organisation.id")
    # WHITE or BLACK: which list the firm is on.
    kind: StandingList = Field(sa_type=enum_column(StandingList))
    reason: str = Field(sa_type=sa.Text)
    starts_on: date
    ends_on: date | None = None
    evaluation_id: int | None = Field(default=None, foreign_key="evaluation.id")
    set_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
