"""The branch deliberates first (小區黨支部先議): meetings of a compound's party branch and of its
owners' committee, their agendas, attendance and resolutions.

A matter for the owners' committee goes to the branch first: a COMMITTEE meeting's agenda
item rests on a BRANCH meeting's item of the same compound that has a resolution
(`branch_item_id`), and the branch secretary sits in (列席) on the committee's meeting.

Joint meetings (聯席會議, db/models/issues.py) keep their own tables: they are held between
organisations (participants are bodies, not people) and their agenda is escalated issues
whose decision moves the issue on. These meetings are one body's, attended by people, and
their agenda is matters (perhaps about an issue) resolved by a vote; the status enum
(SCHEDULED, HELD, CANCELLED) is the joint meetings' own.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.enums import MeetingStatus
from db.types import UtcDateTime, enum_column, utcnow


class CompoundMeetingKind(StrEnum):
    BRANCH = "BRANCH"  # the compound party branch's meeting (支部先議)
    COMMITTEE = "COMMITTEE"  # the owners' committee's meeting (業委會會議)


class ResolutionOutcome(StrEnum):
    ADOPTED = "ADOPTED"
    REJECTED = "REJECTED"
    DEFERRED = "DEFERRED"  # put off: not yet deliberated to a conclusion


class AttendanceStatus(StrEnum):
    PRESENT = "PRESENT"
    ABSENT = "ABSENT"
    SITTING_IN = "SITTING_IN"  # 列席: attends without a vote (the branch secretary)


class CompoundMeeting(SQLModel, table=True):
    __tablename__ = "compound_meeting"
    __table_args__ = (
        # A compound's meetings, newest first, whole or of one kind or status.
        sa.Index("ix_compound_meeting_compound", "compound_id", "scheduled_for", "id"),
        sa.Index("ix_compound_meeting_kind", "compound_id", "kind", "scheduled_for", "id"),
        sa.Index("ix_compound_meeting_status", "compound_id", "status", "scheduled_for", "id"),
        sa.Index("ix_compound_meeting_body", "body_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    # The body meeting: the compound's PARTY_BRANCH (BRANCH) or OWNERS_COMMITTEE (COMMITTEE).
    body_id: int = Field(foreign_key="organisation.id")
    kind: CompoundMeetingKind = Field(sa_type=enum_column(CompoundMeetingKind))
    title: str = Field(max_length=200)
    scheduled_for: datetime = Field(sa_type=UtcDateTime)
    location: str | None = Field(default=None, max_length=200)
    status: MeetingStatus = Field(
        default=MeetingStatus.SCHEDULED, sa_type=enum_column(MeetingStatus)
    )
    minutes: str | None = Field(default=None, sa_type=sa.Text)
    held_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    cancel_reason: str | None = Field(default=None, sa_type=sa.Text)
    convened_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class CompoundMeetingItem(SQLModel, table=True):
    """A matter on the agenda (perhaps about an issue) and the meeting's resolution on it."""

    __tablename__ = "compound_meeting_item"
    __table_args__ = (
        sa.CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0) AND (votes_against IS NULL OR "
            "votes_against >= 0) AND (votes_abstain IS NULL OR votes_abstain >= 0)",
            name="ck_compound_meeting_item_votes",
        ),
        sa.Index("ix_compound_meeting_item_meeting", "meeting_id", "id"),
        sa.Index("ix_compound_meeting_item_issue", "issue_id", "id"),
        sa.Index("ix_compound_meeting_item_branch_item", "branch_item_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="compound_meeting.id")
    # Denormalised from the meeting, so an issue's deliberations are scoped without a join.
    compound_id: int = Field(foreign_key="organisation.id")
    issue_id: int | None = Field(default=None, foreign_key="issue.id")
    matter: str = Field(sa_type=sa.Text)
    # On a COMMITTEE meeting: the branch's resolved item this matter was deliberated in first.
    branch_item_id: int | None = Field(default=None, foreign_key="compound_meeting_item.id")
    outcome: ResolutionOutcome | None = Field(default=None, sa_type=enum_column(ResolutionOutcome))
    resolution: str | None = Field(default=None, sa_type=sa.Text)
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class CompoundMeetingAttendance(SQLModel, table=True):
    """Who attended, or was absent, and in what role (委員, 支部書記列席, ...)."""

    __tablename__ = "compound_meeting_attendance"
    __table_args__ = (sa.Index("ix_compound_meeting_attendance_person", "person_id"),)

    meeting_id: int = Field(foreign_key="compound_meeting.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    status: AttendanceStatus = Field(sa_type=enum_column(AttendanceStatus))
    role: str = Field(default="", max_length=100)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
