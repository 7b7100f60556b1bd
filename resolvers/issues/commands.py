"""What each issue action is given: plain dataclasses the schema's inputs convert to."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import (
    IssueCategory,
    IssueChannel,
    IssuePriority,
)


@dataclass(frozen=True)
class ReportIssue:
    compound_id: int
    channel: IssueChannel
    category: IssueCategory
    title: str
    description: str = ""
    priority: IssuePriority = IssuePriority.NORMAL
    building_id: int | None = None
    reporter_id: int | None = None
    attachment_url: str | None = None
    photo_id: int | None = None  # an upload of the caller's (resolvers/uploads)


@dataclass(frozen=True, kw_only=True)
class IssueChange:
    """The fields every action on an existing issue shares. Keyword-only, so each action's
    own fields need no placeholder defaults to follow these."""

    id: int
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class ClaimIssue(IssueChange):
    organisation_id: int


@dataclass(frozen=True, kw_only=True)
class AssignIssue(IssueChange):
    organisation_id: int
    person_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class NoteIssue(IssueChange):
    """start / resolve / reject / escalate: an action with an optional or required note."""

    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ConfirmIssue(IssueChange):
    accept: bool = True
    satisfaction: int | None = None
    comment: str | None = None


@dataclass(frozen=True, kw_only=True)
class MarkDuplicate(IssueChange):
    original_id: int


@dataclass(frozen=True, kw_only=True)
class CommentOnIssue(IssueChange):
    body: str | None = None
    attachment_url: str | None = None
    photo_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class EscalateIssue(IssueChange):
    reason: str
    meeting_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class TriageIssue(IssueChange):
    """A correction of the priority and/or category the reporter chose, with why."""

    reason: str
    priority: IssuePriority | None = None
    category: IssueCategory | None = None
