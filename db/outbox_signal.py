"""Wake-ups for live feeds when outbox events commit, in this process and in every other.

The outbox stays the source of truth: a feed reads from the last id it has seen, and a
wake-up only says "look now". A lost wake-up (a process killed between its commit and its
publish, a listener reconnecting) delays a feed to its slow fallback poll and loses nothing.
The carrier is what the deployment has:

- Redis pub/sub when JINLIN_REDIS_URL is set: published right after the commit;
- else PostgreSQL NOTIFY, sent inside the writing transaction (PostgreSQL delivers it at
  commit and drops it on rollback), heard by one LISTEN connection per process;
- else (SQLite: one process) in process only.

A waiter takes a ticket before it reads the outbox and waits on that ticket after, so a
commit landing between its read and its wait still wakes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import redis.asyncio as redis
import sqlalchemy as sa
import structlog
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger("jinlin.outbox_signal")

CHANNEL = "jinlin_outbox"
# A publish is a millisecond next door; past this the wake-up is dropped (the poll covers it).
PUBLISH_TIMEOUT_SECONDS = 0.5
# After a failed publish, the next is tried this much later.
RETRY_PUBLISH_SECONDS = 5.0
# A lost listener connection is tried again after this, doubled up to the cap.
RECONNECT_SECONDS = 0.5
RECONNECT_CAP_SECONDS = 10.0


class Ticket:
    """One generation of wake-ups: set by the next wake after it was taken."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> bool:
        """True when woken, False after SECONDS without a wake-up."""
        if self._event.is_set():
            return True
        try:
            await asyncio.wait_for(self._event.wait(), seconds)
        except TimeoutError:
            return False
        return True


class OutboxSignal:
    """In process only: what SQLite (one process) and tests over one connection have."""

    def __init__(self) -> None:
        self._ticket = Ticket()
        self.wakes = 0  # for tests and metrics: wake-ups this process has seen

    def ticket(self) -> Ticket:
        return self._ticket

    def wake(self) -> None:
        self.wakes += 1
        ticket, self._ticket = self._ticket, Ticket()
        ticket.set()

    async def in_transaction(self, session: AsyncSession) -> None:
        """Called in a transaction that wrote outbox events, before it commits."""

    async def committed(self) -> None:
        """Called once that transaction has committed."""
        self.wake()

    async def start(self) -> None:
        """Begin hearing other processes' wake-ups."""

    async def close(self) -> None:
        """Stop hearing them."""


class _Listening(OutboxSignal):
    """A signal that hears other processes on a task of its own, reconnecting as needed."""

    name = "listener"

    def __init__(self) -> None:
        super().__init__()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._listen_forever(), name=f"outbox-{self.name}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen_forever(self) -> None:
        delay = RECONNECT_SECONDS
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # a lost connection: feeds fall back on the poll
                log.warning("outbox wake-ups lost; reconnecting", via=self.name, error=str(error))
            # Whatever was said while deaf is read by looking now.
            self.wake()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_CAP_SECONDS)

    async def _listen(self) -> None:
        raise NotImplementedError


class PostgresSignal(_Listening):
    """NOTIFY in the writing transaction, LISTEN on one connection of the process's own
    (never through PgBouncer in transaction mode, which cannot hold a LISTEN)."""

    name = "postgresql"

    def __init__(self, conninfo: str) -> None:
        super().__init__()
        self.conninfo = conninfo

    async def in_transaction(self, session: AsyncSession) -> None:
        # Writers already queue on the audit chain lock, so NOTIFY's own commit-time lock
        # costs no concurrency.
        await session.execute(sa.select(sa.func.pg_notify(CHANNEL, "")))

    async def _listen(self) -> None:
        import psycopg

        async with await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True) as conn:
            await conn.execute(f"LISTEN {CHANNEL}")
            self.wake()  # (re)connected: look for what was missed meanwhile
            async for _ in conn.notifies():
                self.wake()


class RedisSignal(_Listening):
    """Published after the commit, heard by a subscription of each process."""

    name = "redis"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=PUBLISH_TIMEOUT_SECONDS, socket_timeout=None
        )
        self._quiet_until = 0.0

    async def committed(self) -> None:
        self.wake()  # this process's feeds need no round trip
        if time.monotonic() < self._quiet_until:
            return  # Redis was down a moment ago: writers pay no timeout, feeds poll
        try:
            await asyncio.wait_for(self.client.publish(CHANNEL, b""), PUBLISH_TIMEOUT_SECONDS)
        except (RedisError, OSError, TimeoutError) as error:
            self._quiet_until = time.monotonic() + RETRY_PUBLISH_SECONDS
            log.warning("outbox wake-up not published", error=str(error))

    async def _listen(self) -> None:
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(CHANNEL)
            self.wake()
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    self.wake()
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        await super().close()
        await self.client.aclose()


def signal_for(
    database_url: str, redis_url: str | None, *, pgbouncer: bool = False
) -> OutboxSignal:
    """The carrier the deployment has: Redis, else PostgreSQL, else this process alone.
    Behind PgBouncer in transaction mode a LISTEN cannot hold, so without Redis each process
    wakes only its own feeds (the others poll)."""
    if redis_url:
        return RedisSignal(redis_url)
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql" and not pgbouncer:
        return PostgresSignal(url.set(drivername="postgresql").render_as_string(False))
    return OutboxSignal()
