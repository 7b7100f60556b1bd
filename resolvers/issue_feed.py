"""The issue events a subscriber may see, read from the outbox by id.

Polling by id works on every backend and across processes (each reads the one table),
and resumes exactly where a client left off: event ids follow commit order (written
under the audit chain lock), so nothing committed below the last id seen can appear
later. Each batch is filtered in SQL by the issue read scope of the subscriber as it is
at delivery, not when the subscription began.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col

from db.models import Issue, OutboxEvent
from resolvers.common import visible_by_ids
from resolvers.live import LiveContext
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
    order, forever; ends by raising Unauthenticated once the connection's token is gone."""
    await ctx.refresh()
    with ctx.slots.hold(ctx.actor.token_id):
        last = after if after is not None else await last_event_id(ctx)
        async for delivery in _poll(ctx, wanted, last, poll_seconds):
            yield delivery


async def _poll(
    ctx: LiveContext, wanted: FeedFilter, last: int, poll_seconds: float
) -> AsyncIterator[Delivery]:
    kinds = sorted(k.value for k in wanted.kinds & ISSUE_KINDS)
    while True:
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
        events = list((await ctx.read(statement)).scalars().all())
        if events:
            last = events[-1].id or last
            ids = [int(e.resource_id) for e in events if e.resource_id and e.resource_id.isdigit()]
            visible = await visible_by_ids(ctx, Issue, "issue", ids)
            for event in events:
                issue = visible.get(int(event.resource_id or 0))
                if issue is not None:
                    yield Delivery(event, issue)
        if len(events) < BATCH:
            await ctx.release_reads()  # hold no connection while waiting
            await asyncio.sleep(poll_seconds)
        await ctx.refresh()
