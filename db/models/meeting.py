"""Joint meetings (聯席會議): where a compound takes what it cannot solve alone."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.enums import MeetingStatus
from db.types import UtcDateTime, enum_column, utcnow


class JointMeeting(SQLModel, table=True):
    __tablename__ = "joint_meeting"
    __table_args__ = (sa.Index("ix_meeting_org_time", "organisation_id", "scheduled_for", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # The compound (or community) holding the meeting.
    organisation_id: int = Field(foreign_key="organisation.id")
    title: str = Field(max_length=200)
    scheduled_for: datetime = Field(sa_type=UtcDateTime)
    location: str | None = Field(default=None, max_length=200)
    status: MeetingStatus = Field(
        default=MeetingStatus.SCHEDULED, sa_type=enum_column(MeetingStatus)
    )
    minutes: str | None = Field(default=None, sa_type=sa.Text)
    convened_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class JointMeetingParticipant(SQLModel, table=True):
    """An organisation taking part: the committees, the firm, partner units, departments."""

    __tablename__ = "joint_meeting_participant"

    meeting_id: int = Field(foreign_key="joint_meeting.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class JointMeetingItem(SQLModel, table=True):
    """An escalated issue on the agenda, and the decision taken on it."""

    __tablename__ = "joint_meeting_item"
    __table_args__ = (sa.Index("ix_meeting_item_issue", "issue_id"),)

    meeting_id: int = Field(foreign_key="joint_meeting.id", primary_key=True)
    issue_id: int = Field(foreign_key="issue.id", primary_key=True)
    decision: str | None = Field(default=None, sa_type=sa.Text)
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")
