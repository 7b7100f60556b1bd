"""The context of a live connection (a GraphQL subscription over WebSocket).

A connection outlives any one request: it signs in once, at connection_init, and keeps
the token's secret so that every poll derives the actor again (the actor cache makes that
one statement while nothing changed). A token revoked or expired, or a position ended,
takes effect on the next poll, not at the next reconnect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from db import clock
from resolvers.context import RequestContext
from resolvers.errors import Unauthenticated
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate, bearer_secret


@dataclass
class LiveContext(RequestContext):
    # What the client sent with connection_init (strawberry sets it by this name).
    connection_params: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None
    actors: ActorCache | None = None
    # How often a feed looks for new events (each look is one indexed statement).
    poll_seconds: float = 1.0

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
        actor = await authenticate(
            await self.reader(),
            self.secret,
            key=self.secret_key or "",
            today=self.today,
            actors=self.actors,
        )
        if actor.person_id is None:
            raise Unauthenticated()
        self.actor = actor
        self._auth = None  # grants derive from the actor and the day: decide again
        await self.after_write()  # fresh snapshot and caches for what comes next
