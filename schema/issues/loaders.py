"""Per-request DataLoaders of issues, their timeline and joint meetings."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Issue, IssueEvent, JointMeeting, JointMeetingItem, Upload
from resolvers.context import RequestContext
from resolvers.issues import meetings
from resolvers.issues import queries as issues
from resolvers.uploads import photos
from schema.common.dataloaders import by_id, cached


def issue(ctx: RequestContext) -> DataLoader[int, Issue | None]:
    return cached(ctx, "issue", lambda: DataLoader(by_id(ctx, issues.by_ids)))


def meeting(ctx: RequestContext) -> DataLoader[int, JointMeeting | None]:
    return cached(ctx, "meeting", lambda: DataLoader(by_id(ctx, meetings.by_ids)))


def reporter_visible(ctx: RequestContext) -> DataLoader[int, bool]:
    """Whether the caller may know who reported an issue, batched in one query per page."""

    async def load(keys: Sequence[int]) -> list[bool]:
        allowed = await issues.reporter_visible_ids(ctx, keys)
        return [key in allowed for key in keys]

    return cached(ctx, "issue:read_reporter", lambda: DataLoader(load))


def last_event(ctx: RequestContext) -> DataLoader[int, IssueEvent | None]:
    async def load(keys: Sequence[int]) -> list[IssueEvent | None]:
        found = await issues.last_events(ctx, keys)
        return [found.get(key) for key in keys]

    return cached(ctx, "issue:last_event", lambda: DataLoader(load))


def meeting_participants(ctx: RequestContext) -> DataLoader[int, list[int]]:
    async def load(keys: Sequence[int]) -> list[list[int]]:
        found = await meetings.participants(ctx, keys)
        return [found.get(key, []) for key in keys]

    return cached(ctx, "meeting:participants", lambda: DataLoader(load))


def meeting_agenda(ctx: RequestContext) -> DataLoader[int, list[JointMeetingItem]]:
    async def load(keys: Sequence[int]) -> list[list[JointMeetingItem]]:
        found = await meetings.agenda(ctx, keys)
        return [found.get(key, []) for key in keys]

    return cached(ctx, "meeting:agenda", lambda: DataLoader(load))


def issue_event(ctx: RequestContext) -> DataLoader[int, IssueEvent | None]:
    return cached(ctx, "issue_event", lambda: DataLoader(by_id(ctx, issues.events_by_ids)))


def event_photo(ctx: RequestContext) -> DataLoader[int, Upload | None]:
    """The photo of a (visible) timeline entry, one query per page."""
    return cached(ctx, "issue_event:photo", lambda: DataLoader(by_id(ctx, photos.for_events)))
