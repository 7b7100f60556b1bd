"""What every operation receives: who is calling, where to read and write, and request facts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession

from db import clock
from db.engine import Database
from policies.actor import Actor
from policies.authorizer import Authorizer
from resolvers.errors import Unauthenticated


@dataclass
class RequestContext:
    db: Database
    actor: Actor
    request_id: str
    client_address: str | None = None
    # The key token secrets are hashed with (needed only to issue tokens).
    secret_key: str | None = None
    # The China-calendar day the request runs on, read once from the one clock.
    today: date = field(default_factory=clock.today)
    # Per-request caches the schema layer hangs here (DataLoaders); cleared after each write.
    caches: dict[str, Any] = field(default_factory=dict)
    # Sensitive fields the caller was refused, reported once per response.
    masked_fields: set[str] = field(default_factory=set)
    _auth: Authorizer | None = None
    _read_session: AsyncSession | None = None
    # Resolvers of one request run concurrently; one session must not be used concurrently.
    _read_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def auth(self) -> Authorizer:
        if self._auth is None:
            self._auth = Authorizer(self.actor, self.today)
        return self._auth

    def require_actor(self) -> int:
        if self.actor.person_id is None:
            raise Unauthenticated()
        return self.actor.person_id

    async def reader(self) -> AsyncSession:
        """The request's read session, opened on first use."""
        if self._read_session is None:
            self._read_session = self.db.read_sessions()
        return self._read_session

    async def read(self, statement: Executable) -> Result[Any]:
        """Run a read in the request's session, one statement at a time."""
        async with self._read_lock:
            session = await self.reader()
            running = asyncio.ensure_future(session.execute(statement))
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                # When one field fails, graphql-core cancels its siblings. A statement cut
                # off mid-flight leaves the connection unusable for the rest of the request,
                # so it is allowed to finish (holding the lock) before the cancel goes on.
                await asyncio.wait([running])
                raise

    async def release_reads(self) -> None:
        """Hand the read connection back before a write takes its own.

        A request that held its read connection while waiting for a write connection
        could, with as many concurrent mutations as the pool has connections, wait on
        itself forever.
        """
        if self._read_session is not None and self.db.owns_transactions:
            async with self._read_lock:
                await self._read_session.rollback()

    async def after_write(self) -> None:
        """Let reads after a mutation see its effect: fresh snapshot, empty caches."""
        # Under the read lock: a live connection's subscriptions share one context.
        async with self._read_lock:
            if self._read_session is not None:
                self._read_session.expunge_all()
                if self.db.owns_transactions:
                    await self._read_session.rollback()
            self.caches.clear()

    async def close(self) -> None:
        if self._read_session is not None:
            await self._read_session.close()
            self._read_session = None
