"""Running one live feed: read the outbox when woken, queue what the subscriber may see,
and hang up on a client that falls too far behind.

Reading and sending are apart. A reader task reads the next batch as soon as the outbox
signal says an event committed (or the slow fallback poll comes round: a lost wake-up only
delays), re-deriving the actor before each read, and queues what the subscriber may read;
the subscription hands queued events to the WebSocket as fast as the client takes them.
All the feeds of one connection share one backlog: once more than its limit of events
wait undelivered, the client cannot keep up, and the connection is closed with
SLOW_CONSUMER_CODE and a reason saying how to resume (`after` the last id received), so
a stalled client costs the server a bounded queue, never an unbounded one.

Access is checked before every read, before a delivery once the last check is older than
the connection's check interval, and on that interval while waiting: a token revoked or a
grant ended closes the connection (resolvers/live.py) within that interval, idle or not, and
nothing read before is delivered after.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from db.outbox_signal import Ticket
from resolvers.live import AccessEnded, LiveContext

T = TypeVar("T")

# The WebSocket close code of a connection whose client fell too far behind (4000-4999 are
# the application's; graphql-transport-ws uses 4400-4409, 4429 and 4500 itself).
SLOW_CONSUMER_CODE = 4413


@dataclass(frozen=True)
class Batch(Generic[T]):
    last: int  # the last event id read (delivered or not)
    items: list[T]  # what the subscriber may see, in order
    more: bool  # the batch was full: read again without waiting


Reader = Callable[[int], Awaitable[Batch[T]]]


class FellBehind(Exception):
    """The connection was closed because its client fell too far behind."""


def slow_consumer_reason(limit: int) -> str:
    # A close reason has at most 123 bytes.
    return f"Too slow: over {limit} events undelivered. Reconnect with after = last id seen."


async def follow(
    ctx: LiveContext, read: Reader[T], last: int, *, poll_seconds: float, ahead: int = 100
) -> AsyncIterator[T]:
    """What READ finds after LAST, in order, forever. Ends by raising what ended reading; a
    connection hung up on (too slow, its token or access ended) waits here for the server
    to cancel it. Catching up (full batches) reads the next batch once
    fewer than AHEAD events wait, or a new commit wakes it: a client far behind but taking
    its events is paced, not cut off."""
    feed: _Feed[T] = _Feed(ctx, read, poll_seconds, ahead)
    reader = asyncio.create_task(feed.read_into(last))
    getter: asyncio.Future[T] | None = None
    try:
        while True:
            getter = asyncio.ensure_future(feed.queue.get())
            await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
            if reader.done():
                if getter.done():
                    ctx.backlog.taken(1)  # taken off the queue, never to be sent
                # Grants are decided at delivery: once reading stopped (a revoked token),
                # nothing more is sent.
                try:
                    reader.result()
                except (FellBehind, AccessEnded):
                    await hung_up()
                return
            feed.took()
            try:
                await ctx.keep_access()  # what was read may no longer be the caller's
            except AccessEnded:
                await hung_up()
            yield getter.result()
    finally:
        if getter is not None:
            getter.cancel()
        reader.cancel()
        ctx.backlog.taken(feed.queue.qsize())
        await asyncio.wait({reader})


async def hung_up() -> None:
    """Wait for the handler to cancel a feed whose connection was closed."""
    await asyncio.Event().wait()


async def checked_in(ctx: LiveContext) -> None:
    """Before a feed starts: the caller's access now (a connection closed for its token or
    access meanwhile waits to be cancelled)."""
    try:
        await ctx.keep_access(now=True)
    except AccessEnded:
        await hung_up()


class _Feed(Generic[T]):
    def __init__(self, ctx: LiveContext, read: Reader[T], poll_seconds: float, ahead: int) -> None:
        self.ctx = ctx
        self.read = read
        self.poll_seconds = poll_seconds
        self.ahead = ahead
        self.queue: asyncio.Queue[T] = asyncio.Queue()
        self.room = asyncio.Event()

    def took(self) -> None:
        self.ctx.backlog.taken(1)
        if self.queue.qsize() < self.ahead:
            self.room.set()

    async def read_into(self, last: int) -> None:
        ctx = self.ctx
        while True:
            # Taken before reading: a commit between this read and the wait still wakes it.
            ticket = ctx.db.signal.ticket()
            batch = await self.read(last)
            last = batch.last
            for item in batch.items:
                self.queue.put_nowait(item)
            if not ctx.backlog.queued(len(batch.items)):
                await ctx.hang_up(SLOW_CONSUMER_CODE, slow_consumer_reason(ctx.backlog.limit))
                raise FellBehind
            if not batch.more:
                await ctx.release_reads()  # hold no connection while waiting
                await self._woken_or_polled(ticket)
            elif self.queue.qsize() >= self.ahead:
                await ctx.release_reads()
                await self._room_or(ticket)
            await ctx.keep_access(now=True)

    async def _woken_or_polled(self, ticket: Ticket) -> None:
        """Until a commit wakes this feed or the fallback poll is due, checking access on
        the connection's interval meanwhile (an idle feed of a revoked token is closed)."""
        ctx = self.ctx
        due = time.monotonic() + self.poll_seconds
        while (left := due - time.monotonic()) > 0:
            # Until the last check (this feed's, another's or a delivery's) is due again.
            check = ctx.checked_at + ctx.access_check_seconds - time.monotonic()
            if await ticket.wait(max(0.0, min(left, check))):
                return
            await ctx.keep_access()
            await ctx.release_reads()

    async def _room_or(self, ticket: Ticket) -> None:
        """Until the client has taken enough to read on, or a new commit (or the poll)."""
        self.room.clear()
        room = asyncio.ensure_future(self.room.wait())
        woken = asyncio.ensure_future(ticket.wait(self.poll_seconds))
        try:
            await asyncio.wait({room, woken}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            room.cancel()
            woken.cancel()
