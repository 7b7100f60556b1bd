"""One live feed between the outbox and a client: a client that stops taking its events is
hung up on with 4413 once more than the limit wait (and the queue stays bounded), a client
far behind but taking its events catches up at its own pace and is never cut off, and a
revoked token closes the connection with 4401, an idle feed's on the check interval, and
nothing queued before is sent after."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from db.outbox_signal import OutboxSignal
from resolvers.live import TOKEN_ENDED_CODE, AccessEnded, Backlog
from resolvers.live_feed import SLOW_CONSUMER_CODE, Batch, follow

BATCH = 10


@dataclass
class _Db:
    signal: OutboxSignal = field(default_factory=OutboxSignal)


@dataclass
class _Ctx:
    """What a feed needs of its LiveContext, without a database or a socket."""

    backlog: Backlog
    db: _Db = field(default_factory=_Db)
    closed: list[tuple[int, str]] = field(default_factory=list)
    revoked: bool = False
    access_check_seconds: float = 30.0
    checked_at: float = float("-inf")
    checks: int = 0
    hung_up: asyncio.Event = field(default_factory=asyncio.Event)

    async def hang_up(self, code: int, reason: str) -> None:
        self.closed.append((code, reason))
        self.hung_up.set()

    async def release_reads(self) -> None:
        pass

    async def keep_access(self, *, now: bool = False) -> None:
        """As LiveContext.keep_access, with a flag for the token."""
        if self.closed:
            raise AccessEnded
        if not now and time.monotonic() - self.checked_at < self.access_check_seconds:
            return
        self.checks += 1
        self.checked_at = time.monotonic()
        if self.revoked:
            await self.hang_up(TOKEN_ENDED_CODE, "This token was revoked.")
            raise AccessEnded


@dataclass
class _Outbox:
    events: list[int] = field(default_factory=list)
    reads: int = 0

    async def read(self, last: int) -> Batch[int]:
        self.reads += 1
        found = [e for e in self.events if e > last][:BATCH]
        return Batch(found[-1] if found else last, found, more=len(found) == BATCH)

    async def commit(self, ctx: _Ctx, count: int) -> None:
        start = len(self.events)
        self.events.extend(range(start + 1, start + count + 1))
        await ctx.db.signal.committed()


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_a_client_that_stops_taking_events_is_hung_up_on_past_the_limit() -> None:
    ctx, outbox = _Ctx(Backlog(limit=25)), _Outbox()
    feed = follow(ctx, outbox.read, 0, poll_seconds=30, ahead=BATCH)  # type: ignore[arg-type]
    first = asyncio.ensure_future(anext(feed))
    await _settle()
    await outbox.commit(ctx, 1)
    assert await first == 1
    # The client takes nothing more while events keep committing, a few at a time.
    for _ in range(5):
        await outbox.commit(ctx, 5)
        await _settle()
        assert ctx.backlog.pending <= ctx.backlog.limit or ctx.closed
    await outbox.commit(ctx, 5)
    await _settle()
    assert ctx.closed and ctx.closed[0][0] == SLOW_CONSUMER_CODE == 4413
    assert "over 25 events undelivered" in ctx.closed[0][1]
    assert len(ctx.closed[0][1].encode()) <= 123  # a WebSocket close reason's limit
    assert ctx.backlog.pending <= 25 + 5  # bounded: at most one read past the limit
    await feed.aclose()
    assert ctx.backlog.pending == 0


async def test_a_client_far_behind_catches_up_at_its_own_pace() -> None:
    ctx, outbox = _Ctx(Backlog(limit=25)), _Outbox()
    outbox.events = list(range(1, 201))  # eight times the limit, all missed
    feed = follow(ctx, outbox.read, 0, poll_seconds=30, ahead=BATCH)  # type: ignore[arg-type]
    seen: list[Any] = []
    while len(seen) < 200:
        seen.append(await asyncio.wait_for(anext(feed), 1))
        await asyncio.sleep(0)  # a client slower than the reader
        assert ctx.backlog.pending <= 2 * BATCH
    assert seen == list(range(1, 201))
    assert ctx.closed == []
    await feed.aclose()


async def test_nothing_queued_is_sent_once_the_token_is_revoked() -> None:
    ctx, outbox = _Ctx(Backlog(limit=100), access_check_seconds=0), _Outbox()
    outbox.events = [1, 2, 3]
    feed = follow(ctx, outbox.read, 0, poll_seconds=30, ahead=BATCH)  # type: ignore[arg-type]
    assert await anext(feed) == 1
    ctx.revoked = True  # 2 and 3 are queued, read under grants that are gone
    second = asyncio.ensure_future(anext(feed))
    await _settle()
    assert ctx.closed == [(TOKEN_ENDED_CODE, "This token was revoked.")]
    assert not second.done()  # closed: the handler cancels the feed, nothing is sent
    second.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await second
    await feed.aclose()
    assert ctx.backlog.pending == 0


async def test_an_idle_feed_checks_the_token_on_the_interval_not_the_poll() -> None:
    ctx, outbox = _Ctx(Backlog(limit=100), access_check_seconds=0.05), _Outbox()
    feed = follow(ctx, outbox.read, 0, poll_seconds=30, ahead=BATCH)  # type: ignore[arg-type]
    waiting = asyncio.ensure_future(anext(feed))
    await asyncio.sleep(0.2)
    assert ctx.checks >= 2 and ctx.closed == [] and outbox.reads == 1  # checked, not polled
    ctx.revoked = True
    began = time.monotonic()
    await asyncio.wait_for(ctx.hung_up.wait(), 2)
    assert ctx.closed and ctx.closed[0][0] == 4401
    assert time.monotonic() - began < 0.5  # within the interval, not the 30 s poll
    assert not waiting.done()
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    await feed.aclose()
