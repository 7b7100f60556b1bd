"""The issue events a subscriber may see, read from the outbox by id.

Reading by id works on every backend and across processes (each reads the one table; the
outbox signal only says when to look), and resumes exactly where a client left off: event
ids follow commit order (written under the audit chain lock), so nothing committed below
the last id seen can appear later. Each batch is filtered in SQL by the issue read scope
of the subscriber as it is at delivery, not when the subscription began.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import Issue, OutboxEvent
from resolvers.common import visible_by_ids
from resolvers.live import LiveContext
from resolvers.live_feed import Batch, checked_in, follow
from resolvers.outbox import EventKind

# Events about one issue (a meeting's decision is recorded on the issue it decides).
ISSUE_KINDS = frozenset(k for k in EventKind if k.value.startswith("issue.")) | {
    EventKind.MEETING_DECIDED
}
BATCH = 100


@dataclass(frozen=True)
class FeedFilter:
    compound_id: int | None = None
    issue_id: int | None = None
    kinds: frozenset[EventKind] = ISSUE_KINDS


@dataclass(frozen=True)
class Delivery:
    event: OutboxEvent
    issue: Issue


async def last_event_id(ctx: LiveContext) -> int:
    found = await ctx.read(sa.select(sa.func.max(col(OutboxEvent.id))))
    return int(found.scalar() or 0)


async def issue_events(
    ctx: LiveContext, wanted: FeedFilter, after: int | None, *, poll_seconds: float
) -> AsyncIterator[Delivery]:
    """Events after AFTER (or from now) that WANTED selects and the caller may read, in
    order, forever; closes the connection once its token or a grant ends."""
    await checked_in(ctx)
    with ctx.slots.hold(ctx.actor.token_id):
        last = after if after is not None else await last_event_id(ctx)

        async def read(since: int) -> Batch[Delivery]:
            return await _read(ctx, wanted, since)

        async for delivery in follow(ctx, read, last, poll_seconds=poll_seconds):
            yield delivery


async def _read(ctx: LiveContext, wanted: FeedFilter, last: int) -> Batch[Delivery]:
    kinds = sorted(k.value for k in wanted.kinds & ISSUE_KINDS)
    statement = (
        sa.select(OutboxEvent)
        .where(
            col(OutboxEvent.id) > last,
            col(OutboxEvent.resource_type) == "issue",
            col(OutboxEvent.kind).in_(kinds),
        )
        .order_by(col(OutboxEvent.id))
        .limit(BATCH)
    )
    if wanted.compound_id is not None:
        statement = statement.where(col(OutboxEvent.compound_id) == wanted.compound_id)
    if wanted.issue_id is not None:
        statement = statement.where(col(OutboxEvent.resource_id) == str(wanted.issue_id))
    events: list[OutboxEvent] = await read_whole(ctx.read, statement)
    if not events:
        return Batch(last, [], more=False)
    ids = [int(e.resource_id) for e in events if e.resource_id and e.resource_id.isdigit()]
    visible = await visible_by_ids(ctx, Issue, "issue", ids)
    found = [
        Delivery(event, issue)
        for event in events
        if (issue := visible.get(int(event.resource_id or 0))) is not None
    ]
    return Batch(events[-1].id or last, found, more=len(events) == BATCH)
