"""Public disclosure (兩公開, 業委會事務和財務公開): notices a compound's party branch or owners'
committee publishes to its residents for a period, who reads them, and residents' questions
answered in public."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class NoticeKind(StrEnum):
    AFFAIRS = "AFFAIRS"  # 事務公開: what the body did and plans
    FINANCES = "FINANCES"  # 財務公開: accounts, public revenue and its use
    DECISIONS = "DECISIONS"  # 決議公開: resolutions of the owners' assembly or committee
    EVALUATION_RESULTS = "EVALUATION_RESULTS"  # 評議結果: the yearly ratings


class Notice(SQLModel, table=True):
    """One notice, shown to the compound's residents from `published_from` up to, not
    including, `published_until` (db/periods.py), unless withdrawn."""

    __tablename__ = "notice"
    __table_args__ = (
        sa.CheckConstraint(
            "published_until IS NULL OR published_until > published_from",
            name="ck_notice_period",
        ),
        # A compound's list, newest first; the whole city's list (an admin's) by the same keys.
        sa.Index("ix_notice_compound", "compound_id", "created_at", "id"),
        sa.Index("ix_notice_created", "created_at", "id"),
        sa.Index("ix_notice_publisher", "publisher_id", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    # The body that publishes it: the compound's PARTY_BRANCH or OWNERS_COMMITTEE.
    publisher_id: int = Field(foreign_key="organisation.id")
    kind: NoticeKind = Field(sa_type=enum_column(NoticeKind))
    title: str = Field(max_length=200)
    body: str = Field(sa_type=sa.Text)
    published_from: date
    published_until: date | None = None
    published_by_id: int | None = Field(default=None, foreign_key="person.id")
    withdrawn_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="person.id")
    withdraw_reason: str | None = Field(default=None, sa_type=sa.Text)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class NoticeQuestion(SQLModel, table=True):
    """A resident's question on a notice and the publisher's public answer."""

    __tablename__ = "notice_question"
    __table_args__ = (
        sa.Index("ix_notice_question_notice", "notice_id", "id"),
        sa.Index("ix_notice_question_compound", "compound_id", "id"),
        sa.Index("ix_notice_question_asker", "asker_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id")
    # The notice's compound, kept on the row so that the row's scope reads one column.
    compound_id: int = Field(foreign_key="organisation.id")
    asker_id: int = Field(foreign_key="person.id")
    question: str = Field(sa_type=sa.Text)
    answer: str | None = Field(default=None, sa_type=sa.Text)
    answered_by_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class NoticeRead(SQLModel, table=True):
    """That a person has read a notice: one row per (notice, person), so each reader counts
    once however often they open it."""

    __tablename__ = "notice_read"

    notice_id: int = Field(foreign_key="notice.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    read_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
