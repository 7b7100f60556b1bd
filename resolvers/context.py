"""What every operation receives: who is calling, where to read and write, and request facts."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from db import clock
from db.direct_reads import Reader, execute_read, read_columns
from db.engine import Database
from db.replicas import ReadRouting
from policies.actor import Actor
from policies.authorizer import Authorizer
from resolvers.errors import Unauthenticated
from resolvers.i18n import DEFAULT_LOCALE


@dataclass
class RequestContext:
    db: Database
    actor: Actor
    request_id: str
    client_address: str | None = None
    # The language messages are written in, negotiated from Accept-Language (resolvers/i18n).
    locale: str = DEFAULT_LOCALE
    # The key token secrets are hashed with (needed only to issue tokens).
    secret_key: str | None = None
    # The China-calendar day the request runs on, read once from the one clock.
    today: date = field(default_factory=clock.today)
    # Per-request caches the schema layer hangs here (DataLoaders); cleared after each write.
    caches: dict[str, Any] = field(default_factory=dict)
    # Sensitive fields the caller was refused, reported once per response.
    masked_fields: set[str] = field(default_factory=set)
    # Whether a read may be answered by SQL that builds its JSON (schema/compiled); the
    # differential test turns it off to compare with the resolvers.
    compiled_reads: bool = True
    # The root fields (response keys) compiled SQL answered in this request.
    compiled_fields: list[str] = field(default_factory=list)
    # Set once this request has written: what processes keep under the access epoch read
    # at sign-in may predate its own write, so it is no longer used for this request.
    has_written: bool = False
    # Whether the response keeps database-built JSON as bytes to splice (HTTP does);
    # in process, answers are decoded into plain values.
    splice_json: bool = False
    _auth: Authorizer | None = None
    _read_session: AsyncSession | None = None
    # On PostgreSQL without replicas a request's reads take one pooled connection: column
    # reads run on it directly (a session's own checkout and release cost more than a
    # short read), and a read of ORM entities opens the read session over it.
    _read_connection: AsyncConnection | None = None
    # Where the token was looked up, when that is not the read session (replicas).
    _token_session: AsyncSession | None = None
    # Resolvers of one request run concurrently; one session must not be used concurrently.
    _read_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # With replicas: the sessions the read session came from, and the actor it was routed
    # for (authentication reads before the caller is known; a write moves the caller).
    _read_from: async_sessionmaker[AsyncSession] | None = None
    _routed_for: Actor | None = None

    @property
    def auth(self) -> Authorizer:
        if self._auth is None:
            self._auth = Authorizer(self.actor, self.today)
        return self._auth

    def require_actor(self) -> int:
        if self.actor.person_id is None:
            raise Unauthenticated()
        return self.actor.person_id

    def _reads_on_connection(self) -> bool:
        return self.db.request_read_bind is not None and self.db.routing is None

    async def _connection(self) -> AsyncConnection:
        """The request's read connection, taken from the pool on first use."""
        if self._read_connection is None:
            bind = self.db.request_read_bind
            assert bind is not None
            self._read_connection = await bind.connect()
        return self._read_connection

    async def reader(self) -> AsyncSession:
        """The request's read session, opened on first use (on a replica, or the primary)."""
        if self._read_session is None and self._reads_on_connection():
            self._read_session = AsyncSession(bind=await self._connection(), expire_on_commit=False)
        elif self._read_session is None:
            self._routed_for = self.actor
            self._read_from, self._read_session = await self.db.open_read_session(
                _caller(self.actor)
            )
        elif self.db.routing is not None and self._routed_for is not self.actor:
            await self._reroute(self._read_session, self.db.routing)
        return self._read_session

    async def _reroute(self, session: AsyncSession, routing: ReadRouting) -> None:
        """The caller became known (signed in) or wrote: within its write window its reads
        move to the primary; otherwise they stay where they are (one replica per request)."""
        self._routed_for = self.actor
        caller = _caller(self.actor)
        if self._read_from is self.db.request_reads or caller is None:
            return
        if await routing.recent.recent(caller):
            await session.close()
            self._read_from = self.db.request_reads
            self._read_session = self._read_from()

    async def read(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Result[Any]:
        """Run a read in the request's session, one statement at a time (PARAMETERS give
        named bind parameters their values for this execution)."""
        async with self._read_lock:
            connection = self._read_connection
            if connection is not None and self._reads_on_connection():
                # Straight to psycopg, which answers a cancellation by cancelling the
                # statement on the server and reading the connection clear (AsyncConnection
                # .wait): it stays usable without a task to shield it.
                result = await read_columns(connection, statement, parameters)
                if result is not None:
                    return result
            running = asyncio.ensure_future(self._execute(statement, parameters))
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                # When one field fails, graphql-core cancels its siblings. A statement cut
                # off mid-flight leaves the connection unusable for the rest of the request,
                # so it is allowed to finish (holding the lock) before the cancel goes on.
                await asyncio.wait([running])
                raise

    async def _execute(
        self, statement: Executable, parameters: Mapping[str, Any] | None
    ) -> Result[Any]:
        """A read `read` did not answer straight on the open connection."""
        if not self._reads_on_connection():
            return await execute_read(await self.reader(), statement, parameters)
        if self._read_connection is None:  # the request's first read opens it
            result = await read_columns(await self._connection(), statement, parameters)
            if result is not None:
                return result
        # Not one psycopg takes directly (ORM entities): the session over the connection.
        executed: Result[Any] = await (await self.reader()).execute(statement, parameters)
        return executed

    async def _close_reads(self) -> None:
        """Close the read session, then hand the read connection back to the pool."""
        if self._read_session is not None:
            await self._read_session.close()
            self._read_session = None
        if self._read_connection is not None:
            await self._read_connection.close()
            self._read_connection = None

    async def release_reads(self) -> None:
        """Hand the read connection back before a write takes its own.

        A request that held its read connection while waiting for a write connection
        could, with as many concurrent mutations as the pool has connections, wait on
        itself forever.
        """
        if self._read_connection is not None:
            async with self._read_lock:
                await self._close_reads()
        elif self._read_session is not None and self.db.owns_transactions:
            async with self._read_lock:
                await self._read_session.rollback()

    async def wrote(self) -> None:
        """After a committed write: the caller reads from the primary for its read-your-writes
        window (here and, with Redis, in every process), then as after_write."""
        caller = _caller(self.actor)
        if self.db.routing is not None and caller is not None:
            await self.db.routing.recent.mark(caller)
            self._routed_for = None  # route again at the next read
        await self.after_write()

    async def after_write(self) -> None:
        """Let reads after a mutation see its effect: fresh snapshot, empty caches."""
        # Under the read lock: a live connection's subscriptions share one context.
        async with self._read_lock:
            if self._read_session is not None:
                self._read_session.expunge_all()
                if self.db.owns_transactions:
                    await self._read_session.rollback()
            self.caches.clear()
            self.has_written = True

    async def token_reader(self) -> Reader:
        """Where the bearer token is looked up (with the access epoch, and the grants when
        they are derived): always the primary, so a revoked token, an ended position or a
        changed grant counts on the very next request even while a replica lags. Without
        replicas it is where the request reads (its connection, or its session): nothing
        more to open."""
        if self._reads_on_connection():
            return await self._connection()
        if self.db.routing is None:
            return await self.reader()
        if self._token_session is None:
            self._token_session = self.db.request_reads()
        return self._token_session

    @property
    def reads_what_the_token_read(self) -> bool:
        """Whether this request's reads see the database the token's epoch was read from
        (what is kept under that epoch may only be taken from such reads)."""
        return self.db.routing is None

    async def close(self) -> None:
        await self._close_reads()
        if self._token_session is not None:
            await self._token_session.close()
            self._token_session = None


def _caller(actor: Actor) -> str | None:
    """Whose writes a read must see: the person's (through any of their tokens), else the
    token's; None for the anonymous, who write nothing."""
    if actor.person_id is not None:
        return f"person:{actor.person_id}"
    if actor.token_id is not None:
        return f"token:{actor.token_id}"
    return None
