"""The context of a live connection (a GraphQL subscription over WebSocket).

A connection outlives any one request: it signs in once, at connection_init, and keeps
the token's secret so that its feeds derive the actor again before every read, before a
delivery once the last check is older than the check interval, and on that interval while
idle (the actor cache makes each one statement while nothing changed). A token revoked or
expired closes the connection with TOKEN_ENDED_CODE, access narrowed (a position ended, a
grant withdrawn) with ACCESS_NARROWED_CODE, each with a reason: within the check interval,
not at the next reconnect.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import clock
from policies.actor import Actor
from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode, Unauthenticated
from resolvers.i18n import negotiate, tr, translate
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate, bearer_secret

# WebSocket close codes (4000-4999 are the application's). graphql-transport-ws itself sends
# 4401 only to a subscribe before connection_ack and 4403 when connection_init is refused:
# here they mean the same (sign in again; this token is refused) once the feeds have begun.
TOKEN_ENDED_CODE = 4401  # the token was revoked, expired or is unknown: use another
ACCESS_NARROWED_CODE = 4403  # a grant ended: reconnect (same token) to read what you may now
MAX_REASON_BYTES = 123  # a close frame's reason, in UTF-8


class TooManyFeeds(DomainError):
    code = ErrorCode.RATE_LIMITED


class AccessEnded(Exception):
    """The connection was closed because its token ended or its access narrowed."""


def close_reason(text: str) -> str:
    """TEXT cut to what a close frame holds, never in the middle of a character."""
    return text.encode()[:MAX_REASON_BYTES].decode(errors="ignore")


def narrowed(before: Actor, after: Actor) -> bool:
    """Whether AFTER may do less than BEFORE: a role over a subtree, or a membership, gone
    (a grant held for another reason, e.g. a new title, is no narrowing)."""

    def held(actor: Actor) -> set[tuple[str, str]]:
        return {(grant.role, grant.domain) for grant in actor.grants}

    return not (held(after) >= held(before) and set(after.member_of) >= set(before.member_of))


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
                tr(
                    "This token already runs {per_token} subscriptions; end one first.",
                    per_token=self.per_token,
                )
            )
        self.held[key] += 1
        try:
            yield
        finally:
            self.held[key] -= 1
            if not self.held[key]:
                del self.held[key]


@dataclass
class Backlog:
    """Events a connection's feeds have read and not yet handed to its client."""

    limit: int = 500
    pending: int = 0

    def queued(self, count: int) -> bool:
        """Count COUNT more; False once more than the limit wait."""
        self.pending += count
        return self.pending <= self.limit

    def taken(self, count: int) -> None:
        self.pending -= count


async def _no_socket(code: int, reason: str) -> None:
    raise RuntimeError(f"no connection to close ({code}: {reason})")


@dataclass
class LiveContext(RequestContext):
    # What the client sent with connection_init (strawberry sets it by this name).
    connection_params: dict[str, Any] = field(default_factory=dict)
    secret: str | None = None
    actors: ActorCache | None = None
    # How often a feed looks for new events without a wake-up (the fallback poll).
    poll_seconds: float = 5.0
    # How old the last check of the token and grants may be at a delivery, and how often an
    # idle feed checks them: the bound on how long an ended token or grant goes unnoticed.
    access_check_seconds: float = 5.0
    checked_at: float = float("-inf")  # time.monotonic() of the last check
    ended: bool = False  # closed for its token or its access: deliver nothing more
    # Shared by every connection of the process.
    slots: FeedSlots = field(default_factory=FeedSlots)
    # This connection's undelivered events, and how to close it (set by the WebSocket handler).
    backlog: Backlog = field(default_factory=Backlog)
    hang_up: Callable[[int, str], Awaitable[None]] = _no_socket

    def _reads_on_connection(self) -> bool:
        # A feed's reads all go through its session, which lives as long as its socket.
        return False

    async def reader(self) -> AsyncSession:
        """Always the primary: feeds are woken by its commits, which a replica may lag."""
        if self._read_session is None:
            self._routed_for = self.actor
            self._read_from = self.db.request_reads
            self._read_session = self._read_from()
        return self._read_session

    async def release_reads(self) -> None:
        """Hand the read connection back, detaching what was read first: a feed's reader
        releases while the sender may still render rows it read, which a rollback would
        expire under it."""
        if self._read_session is not None and self.db.owns_transactions:
            async with self._read_lock:
                self._read_session.expunge_all()
                await self._read_session.rollback()

    async def sign_in(self) -> None:
        """Authenticate with the token connection_init carried; refuse a connection without
        one (a live feed is always somebody's)."""
        language = self.connection_params.get("Accept-Language") or self.connection_params.get(
            "accept-language"
        )
        if isinstance(language, str):  # a browser's WebSocket cannot set the header
            self.locale = negotiate(language)
        value = self.connection_params.get("Authorization") or self.connection_params.get(
            "authorization"
        )
        secret = bearer_secret(value if isinstance(value, str) else None)
        if secret is None:
            raise Unauthenticated(tr("Send 'Authorization: Bearer jl_…' in connection_init."))
        self.secret = secret
        await self.refresh()

    async def refresh(self) -> None:
        """Derive the actor again, for today: raises Unauthenticated once the token is gone."""
        if self.secret is None:
            raise Unauthenticated(tr("This connection has not signed in."))
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
        self.checked_at = time.monotonic()
        self.actor = actor
        self._auth = None  # grants derive from the actor and the day: decide again
        await self.after_write()  # fresh snapshot and caches for what comes next

    async def keep_access(self, *, now: bool = False) -> None:
        """Check the token and the grants again (NOW, or once the last check is older than
        the interval). A token gone closes the connection with TOKEN_ENDED_CODE, a grant
        gone with ACCESS_NARROWED_CODE; either raises AccessEnded, as every later call does."""
        if self.ended:
            raise AccessEnded
        if not now and time.monotonic() - self.checked_at < self.access_check_seconds:
            return
        before = self.actor
        try:
            await self.refresh()
        except Unauthenticated as error:
            await self._end(TOKEN_ENDED_CODE, translate(error.text, self.locale))
            raise AccessEnded from error
        if before.is_authenticated and narrowed(before, self.actor):
            text = tr("Your access changed; reconnect with after = last id seen.")
            await self._end(ACCESS_NARROWED_CODE, translate(text, self.locale))
            raise AccessEnded

    async def _end(self, code: int, reason: str) -> None:
        if not self.ended:
            self.ended = True
            await self.hang_up(code, close_reason(reason))
