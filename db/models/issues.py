"""The resident problem list (居民問題清單): issues and their timelines, and the joint meetings
(聯席會議) where a compound takes what it cannot solve alone."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

from db.folding import issue_search_text
from db.models.enums import (
    STATUS_RANK,
    IssueCategory,
    IssueChannel,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
    MeetingStatus,
)
from db.types import UtcDateTime, enum_column, utcnow


class Issue(SQLModel, table=True):
    """One resident problem, from report to confirmation; `status` moves only through
    resolvers/issue_lifecycle.py."""

    __tablename__ = "issue"
    __table_args__ = (
        sa.CheckConstraint(
            "satisfaction IS NULL OR (satisfaction BETWEEN 1 AND 5)", name="ck_issue_satisfaction"
        ),
        # Every list filter and sort has an index behind it.
        sa.Index("ix_issue_compound_created", "compound_id", "created_at", "id"),
        sa.Index("ix_issue_compound_status", "compound_id", "status", "id"),
        sa.Index("ix_issue_status_due", "status", "due_at", "id"),
        sa.Index("ix_issue_assignee_status", "assignee_organisation_id", "status", "id"),
        sa.Index("ix_issue_assignee_created", "assignee_organisation_id", "created_at", "id"),
        sa.Index("ix_issue_reporter", "reporter_id", "created_at", "id"),
        # The STATUS and PRIORITY orders over the caller's own reports (a scope branch).
        sa.Index("ix_issue_reporter_status_rank", "reporter_id", "status_rank", "created_at", "id"),
        sa.Index("ix_issue_reporter_priority", "reporter_id", "priority_rank", "created_at", "id"),
        sa.Index("ix_issue_priority", "priority_rank", "created_at", "id"),
        # The STATUS order, within a compound (most callers' scope) and over the city.
        sa.Index("ix_issue_compound_status_rank", "compound_id", "status_rank", "created_at", "id"),
        sa.Index("ix_issue_status_rank", "status_rank", "created_at", "id"),
        sa.Index("ix_issue_created", "created_at", "id"),
        sa.Index("ix_issue_category", "category", "id"),
        # Search is LIKE '%text%' on the folded copy: PostgreSQL serves it from a trigram
        # index. SQLite has none that helps (it scans), so there the index stays empty.
        sa.Index(
            "ix_issue_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            sqlite_where=sa.false(),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    building_id: int | None = Field(default=None, foreign_key="organisation.id")
    reporter_id: int = Field(foreign_key="person.id")
    channel: IssueChannel = Field(sa_type=enum_column(IssueChannel))
    category: IssueCategory = Field(sa_type=enum_column(IssueCategory))
    priority: IssuePriority = Field(sa_type=enum_column(IssuePriority))
    # Denormalised from priority so "most pressing first" is one index scan.
    priority_rank: int
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    # Title and description folded (db/folding.py), kept by the hooks below; search reads it.
    search_text: str = Field(default="", sa_type=sa.Text)
    status: IssueStatus = Field(sa_type=enum_column(IssueStatus))
    # Denormalised from status (STATUS_RANK) by the hooks below, so "by status" is one
    # index scan; writes past the ORM fill it themselves.
    status_rank: int = 0
    assignee_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    assignee_person_id: int | None = Field(default=None, foreign_key="person.id")
    due_at: datetime = Field(sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Durations kept as whole seconds when they happen, so medians are plain SQL everywhere.
    claim_seconds: int | None = None
    resolve_seconds: int | None = None
    satisfaction: int | None = None
    rejection_reason: str | None = Field(default=None, sa_type=sa.Text)
    duplicate_of_id: int | None = Field(default=None, foreign_key="issue.id")
    version: int = Field(default=1)


def _derive_on_insert(_mapper: Mapper[Issue], _connection: sa.Connection, issue: Issue) -> None:
    issue.search_text = issue_search_text(issue.title, issue.description)
    issue.status_rank = STATUS_RANK[issue.status]


def _derive_on_update(_mapper: Mapper[Issue], _connection: sa.Connection, issue: Issue) -> None:
    # Every write of an issue through the ORM passes here; only a changed text is refolded
    # (and a changed status reranked).
    state = sa.inspect(issue)
    if state.attrs.title.history.has_changes() or state.attrs.description.history.has_changes():
        issue.search_text = issue_search_text(issue.title, issue.description)
    if state.attrs.status.history.has_changes():
        issue.status_rank = STATUS_RANK[issue.status]


event.listen(Issue, "before_insert", _derive_on_insert)
event.listen(Issue, "before_update", _derive_on_update)


class IssueEvent(SQLModel, table=True):
    """One line of an issue's timeline: a status change, comment, claim, assignment, ..."""

    __tablename__ = "issue_event"
    __table_args__ = (sa.Index("ix_issue_event_issue", "issue_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issue.id")
    kind: IssueEventKind = Field(sa_type=enum_column(IssueEventKind))
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    # The organisation the actor acted for (a claiming body, the firm replying, ...).
    actor_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    # The token a partner unit acted through (the person is then the token's issuer).
    actor_token_id: int | None = None
    from_status: IssueStatus | None = Field(default=None, sa_type=enum_column(IssueStatus))
    to_status: IssueStatus | None = Field(default=None, sa_type=enum_column(IssueStatus))
    body: str | None = Field(default=None, sa_type=sa.Text)
    attachment_url: str | None = Field(default=None, max_length=500)
    meeting_id: int | None = Field(default=None, foreign_key="joint_meeting.id")
    # A TRIAGE entry: the priority, category and due time before and after the correction
    # (migration 0022); null on every other kind.
    from_priority: IssuePriority | None = Field(default=None, sa_type=enum_column(IssuePriority))
    to_priority: IssuePriority | None = Field(default=None, sa_type=enum_column(IssuePriority))
    from_category: IssueCategory | None = Field(default=None, sa_type=enum_column(IssueCategory))
    to_category: IssueCategory | None = Field(default=None, sa_type=enum_column(IssueCategory))
    from_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    to_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


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
