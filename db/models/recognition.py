"""Mentoring and recognition of branch secretaries (導師幫帶, 兩優一先).

The article's city trains new compound branch secretaries through mentors ("導師幫帶制": an
experienced secretary takes a new one under their wing) and honours them in the "two
excellents and one advanced" commendations (兩優一先: 優秀共產黨員, 優秀黨務工作者 to a person,
先進基層黨組織 to a branch). Both are set up from above the compound, by the street's or
community's organisation officer, and lie in the compound of the mentee or the recipient.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class CommendationKind(StrEnum):
    EXCELLENT_PARTY_MEMBER = "EXCELLENT_PARTY_MEMBER"  # 優秀共產黨員, to a person
    EXCELLENT_PARTY_WORKER = "EXCELLENT_PARTY_WORKER"  # 優秀黨務工作者, to a person
    ADVANCED_PARTY_ORGANISATION = "ADVANCED_PARTY_ORGANISATION"  # 先進基層黨組織, to a branch


# Which kinds go to a person (the others go to a party organisation).
PERSONAL_KINDS = frozenset(
    {CommendationKind.EXCELLENT_PARTY_MEMBER, CommendationKind.EXCELLENT_PARTY_WORKER}
)


class MentorPair(SQLModel, table=True):
    """An experienced secretary (the mentor) guiding a new one (the mentee) of a compound's
    party branch from START_DATE up to, not including, END_DATE (open while null)."""

    __tablename__ = "mentor_pair"
    __table_args__ = (
        sa.CheckConstraint("mentor_id <> mentee_id", name="ck_mentor_pair_people"),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name="ck_mentor_pair_period"
        ),
        sa.Index("ix_mentor_pair_compound", "compound_id", "id"),
        sa.Index("ix_mentor_pair_mentor", "mentor_id", "id"),
        sa.Index("ix_mentor_pair_mentee", "mentee_id", "id"),
        # Backstop of the overlap check (resolvers/recognition/mentoring.py): one open pairing
        # of two people.
        sa.Index(
            "uq_mentor_pair_open",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=sa.text("end_date IS NULL"),
            postgresql_where=sa.text("end_date IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="person.id")
    mentee_id: int = Field(foreign_key="person.id")
    # The mentee's party branch, and the compound it lies in (where the pair is read).
    branch_id: int = Field(foreign_key="organisation.id")
    compound_id: int = Field(foreign_key="organisation.id")
    start_date: date
    end_date: date | None = None
    note: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Commendation(SQLModel, table=True):
    """One honour of 兩優一先: to a person (who lives in the compound) or to a compound's party
    branch, for a year, by an organisation above the compound; withdrawn, it stays on record."""

    __tablename__ = "commendation"
    __table_args__ = (
        sa.CheckConstraint(
            "(person_id IS NULL) <> (organisation_id IS NULL)", name="ck_commendation_recipient"
        ),
        sa.Index("ix_commendation_compound", "compound_id", "id"),
        sa.Index("ix_commendation_compound_year", "compound_id", "year", "id"),
        sa.Index("ix_commendation_person", "person_id", "id"),
        sa.Index("ix_commendation_organisation", "organisation_id", "id"),
        # Backstops of the once-a-year check (resolvers/recognition/commendations.py).
        sa.Index(
            "uq_commendation_person",
            "person_id",
            "kind",
            "year",
            "awarded_by_id",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL AND person_id IS NOT NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL AND person_id IS NOT NULL"),
        ),
        sa.Index(
            "uq_commendation_organisation",
            "organisation_id",
            "kind",
            "year",
            "awarded_by_id",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL AND organisation_id IS NOT NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL AND organisation_id IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: CommendationKind = Field(sa_type=enum_column(CommendationKind))
    year: int
    title: str = Field(max_length=200)
    citation: str = Field(sa_type=sa.Text)
    awarded_by_id: int = Field(foreign_key="organisation.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    compound_id: int = Field(foreign_key="organisation.id")
    withdrawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    withdrawal_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
