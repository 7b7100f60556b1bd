"""Subscriptions in the isolation matrix: every Subscription field, for each caller, asked
about each compound (where it takes one), replayed from the outbox's first event.

A feed subscribed to a compound outside the caller's scope must deliver nothing at all, and
no feed may deliver an event, or an object inside one, of a compound outside it. Refused
tokens are refused at sign-in. A feed runs forever, so each is read exactly as far as the
outbox goes: its module's `_read` (what a feed delivers) is wrapped to count what it will
deliver up to the newest event, and that many results are taken.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from graphql import GraphQLObjectType, get_named_type
from sqlmodel import col

import resolvers.issue_feed
import resolvers.notification_feed
from db import clock
from db.models import OutboxEvent
from policies.actor import ANONYMOUS
from resolvers.errors import Unauthenticated
from resolvers.live import LiveContext
from resolvers.live_feed import Batch
from schema.ids import encode_id, parse_global_id
from schema.issues.notice_types import EVENT_ID_TYPE
from schema.schema import schema
from tests.isolation.walk import Filler, object_selection, place_arguments

if TYPE_CHECKING:
    from tests.isolation.matrix import Walk

GRAPHQL = schema._schema
# Where each Subscription field's feed reads: a new subscription must be added here.
FEEDS: dict[str, ModuleType] = {
    "issueEvents": resolvers.issue_feed,
    "myNotifications": resolvers.notification_feed,
}
WAIT = 10.0  # seconds for one result that is known to come


@dataclass
class _Counted:
    """What a feed has read to deliver, and whether it has caught up with the outbox."""

    items: int = 0
    caught_up: asyncio.Event = field(default_factory=asyncio.Event)

    def wrap(self, read: Callable[..., Awaitable[Batch[Any]]]) -> Callable[..., Any]:
        async def counted(*args: Any) -> Batch[Any]:
            batch = await read(*args)
            self.items += len(batch.items)
            if not batch.more:
                self.caught_up.set()
            return batch

        return counted


@contextlib.contextmanager
def _counting(module: ModuleType, counted: _Counted) -> Iterator[None]:
    original = module._read  # type: ignore[attr-defined]
    module._read = counted.wrap(original)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        module._read = original  # type: ignore[attr-defined]


def subscription_document(name: str, filler: Filler) -> str:
    subscription = GRAPHQL.subscription_type
    assert subscription is not None
    field_ = subscription.fields[name]
    named = get_named_type(field_.type)
    assert isinstance(named, GraphQLObjectType)
    args = place_arguments(field_, filler).strip("()")
    args = ", ".join(a for a in (args, "after: $after") if a)
    return f"subscription ($after: ID) {{ {name}({args}) {{ {object_selection(named, filler)} }} }}"


async def _signed_in(walk: Walk) -> LiveContext | None:
    """A live connection's context for the walk's caller, or None when it is refused."""
    secret = walk.api.tokens.get(walk.role, walk.role) if walk.role is not None else None
    params = {"Authorization": f"Bearer {secret}"} if secret is not None else {}

    async def hang_up(code: int, reason: str) -> None:
        walk.outcome.fail(f"{walk.role}: a feed closed its connection ({code}: {reason})")

    ctx = LiveContext(
        db=walk.api.db,
        actor=ANONYMOUS,
        request_id="isolation-live",
        client_address="127.0.0.1",
        locale="en",
        secret_key=walk.api.secret_key,
        today=clock.today(),
        connection_params=params,
        poll_seconds=60.0,
        access_check_seconds=60.0,
        hang_up=hang_up,
    )
    try:
        await ctx.sign_in()
    except Unauthenticated:
        await ctx.close()
        return None
    return ctx


async def walk_subscriptions(walk: Walk, *, refused: bool) -> None:
    subscription = GRAPHQL.subscription_type
    assert subscription is not None
    for name in sorted(subscription.fields):
        if name not in FEEDS:
            walk.outcome.fail(f"Subscription.{name} has no feed in tests/isolation/subscriptions")
            continue
        field_ = subscription.fields[name]
        places = [None] if place_arguments(field_, Filler(id="")) == "" else walk.world.compounds
        for key in places:
            compound = walk.world.compounds[key] if key else walk.world.compounds["a"]
            filler = Filler(id=str(encode_id("Organisation", compound)))
            where = f"Subscription.{name}" + (f" (compound {key})" if key else "")
            walk.outcome.cases += 1
            ctx = await _signed_in(walk)
            # A live feed is always somebody's: without a token it is refused at sign-in.
            if (ctx is None) != (refused or walk.role is None):
                walk.outcome.fail(f"{walk.role}: {where} {'ran' if ctx else 'refused the token'}")
            if ctx is None:
                continue
            try:
                delivered = await _replay(ctx, FEEDS[name], subscription_document(name, filler))
            finally:
                await ctx.close()
            await _check(walk, delivered, where, outside=key is not None and key not in walk.scope)


async def _replay(ctx: LiveContext, module: ModuleType, document: str) -> list[Any]:
    """Every result the feed gives from the first event up to the newest."""
    counted = _Counted()
    results: list[Any] = []
    # The API gives out no event id 0: start after the first event but one, if any.
    first = await ctx.read(sa.select(sa.func.min(col(OutboxEvent.id))))
    start = str(encode_id(EVENT_ID_TYPE, max(1, int(first.scalar() or 1) - 1)))
    await ctx.release_reads()
    with _counting(module, counted):
        stream = await schema.subscribe(
            document, variable_values={"after": start}, context_value=ctx
        )
        assert isinstance(stream, AsyncIterator), stream
        try:
            while not (counted.caught_up.is_set() and len(results) >= counted.items):
                following = asyncio.ensure_future(anext(stream))
                caught = asyncio.ensure_future(counted.caught_up.wait())
                await asyncio.wait({following, caught}, return_when=asyncio.FIRST_COMPLETED)
                caught.cancel()
                if not following.done() and len(results) >= counted.items:
                    following.cancel()  # caught up, and everything read was taken
                    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                        await following
                    break
                try:
                    results.append(await asyncio.wait_for(following, WAIT))
                except StopAsyncIteration:
                    break  # the feed ended (an error, reported with the results)
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
    return results


async def _check(walk: Walk, delivered: list[Any], where: str, *, outside: bool) -> None:
    walk.outcome.delivered += len(delivered)
    if outside and delivered:
        walk.outcome.fail(f"{walk.role}: {where} delivered {len(delivered)} events")
    for result in delivered:
        for error in result.errors or ():
            code = (error.extensions or {}).get("code")
            walk.outcome.fail(f"{walk.role}: {where} answered {code}: {error.message}")
        for notice in (result.data or {}).values():
            if not isinstance(notice, dict):
                continue
            event_id = parse_global_id(notice["id"])[1]
            compound = await walk.api.scalar(
                sa.select(col(OutboxEvent.compound_id)).where(col(OutboxEvent.id) == event_id)
            )
            key = walk.world.key_of(compound)
            if key is not None and key not in walk.scope:
                walk.outcome.fail(f"{walk.role}: {where} delivered event {event_id} of {key}")
            inner = {k: v for k, v in notice.items() if k not in ("__typename", "id")}
            await walk.leaks(inner, where)
