"""The context of a live connection (a GraphQL subscription over WebSocket).

A connection outlives any one request: it signs in once, at connection_init, and keeps
the token's secret so that every poll derives the actor again (the actor cache makes that
one statement while nothing changed). A token revoked or expired, or a position ended,
takes effect on the next poll, not at the next reconnect.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from db import clock
from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode, Unauthenticated
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate, bearer_secret


class TooManyFeeds(DomainError):
    code = ErrorCode.RATE_LIMITED


@dataclass
class FeedSlots:
    """How many subscriptions each token runs at once in this process (each holds a task
    and a poll), across all its connections."""

    per_token: int = 20
    held: Counter[int] = field(default_factory=Counter)

    @contextmanager
    def hold(self, token_id: int | None) -> Iterator[None]:
        key = token_id or 0
        if self.held[key] >= self.per_token:
            raise TooManyFeeds(
                f"This token already runs {self.per_token} subscriptions; end one first."
            )
        self.held[key] += 1
        try:
            yield
        finally:
            self.held[key] -= 1
            if not self.held[key]:
                del self.held[key]


@dataclass
class LiveContext(RequestContext):
    # What the client sent with connection_init (strawberry sets it by this name).
    connection_params: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None
    actors: ActorCache | None = None
    # How often a feed looks for new events (each look is one indexed statement).
    poll_seconds: float = 1.0
    # Shared by every connection of the process.
    slots: FeedSlots = field(default_factory=FeedSlots)

    async def sign_in(self) -> None:
        """Authenticate with the token connection_init carried; refuse a connection without
        one (a live feed is always somebody's)."""
        value = self.connection_params.get("Authorization") or self.connection_params.get(
            "authorization"
        )
        secret = bearer_secret(value if isinstance(value, str) else None)
        if secret is None:
            raise Unauthenticated("Send 'Authorization: Bearer jl_…' in connection_init.")
        self.secret = secret
        await self.refresh()

    async def refresh(self) -> None:
        """Derive the actor again, for today: raises Unauthenticated once the token is gone."""
        if self.secret is None:
            raise Unauthenticated("This connection has not signed in.")
        self.today = clock.today()
        # The connection's subscriptions share its read session: one statement at a time,
        # and none cut off mid-flight by a cancelled subscription (as RequestContext.read).
        async with self._read_lock:
            running = asyncio.ensure_future(
                authenticate(
                    await self.reader(),
                    self.secret,
                    key=self.secret_key or "",
                    today=self.today,
                    actors=self.actors,
                )
            )
            try:
                actor = await asyncio.shield(running)
            except asyncio.CancelledError:
                await asyncio.wait([running])
                raise
        if actor.person_id is None:
            raise Unauthenticated()
        self.actor = actor
        self._auth = None  # grants derive from the actor and the day: decide again
        await self.after_write()  # fresh snapshot and caches for what comes next
