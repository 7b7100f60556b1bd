"""Which outbox events a token could read now: the policy's own answer, one statement per
kind of record, scoped in SQL as any read of that token would be."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from db.engine import Database
from db.models import (
    ApiToken,
    CompoundMeeting,
    Evaluation,
    Issue,
    JointMeeting,
    Mobilisation,
    Notice,
    NoticeQuestion,
    OutboxEvent,
    VolunteerService,
    WebhookEndpoint,
)
from policies.actor import Actor
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext


async def readable_by(db: Database, actor: Actor, events: Sequence[OutboxEvent]) -> set[int]:
    """The ids of EVENTS ACTOR (a token's, derived now) may read, read as its own request."""
    ctx = RequestContext(db=db, actor=actor, request_id=f"webhooks-token-{actor.token_id}")
    try:
        return await readable_event_ids(ctx, events)
    finally:
        await ctx.close()


async def readable_event_ids(ctx: RequestContext, events: Sequence[OutboxEvent]) -> set[int]:
    """The ids of EVENTS whose record CTX's actor may read (an event about a record of no
    kind below, or of none, is readable by nobody)."""
    wanted: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for event in events:
        if event.id is None or event.resource_id is None or not event.resource_id.isdigit():
            continue
        wanted[event.resource_type][int(event.resource_id)].append(event.id)
    readable: set[int] = set()
    for resource, by_record in wanted.items():
        for record_id in await _visible(ctx, resource, list(by_record)):
            readable.update(by_record[record_id])
    return readable


async def _visible(ctx: RequestContext, resource: str, ids: list[int]) -> set[int]:
    """The records among IDS the caller may read, for each kind of record events are about
    (resolvers/outbox.py); spelled out so the policy coverage scan sees each read asked."""
    found: Mapping[int, object]
    match resource:
        case "issue":
            found = await visible_by_ids(ctx, Issue, "issue", ids)
        case "meeting":
            found = await visible_by_ids(ctx, JointMeeting, "meeting", ids)
        case "compound_meeting":
            found = await visible_by_ids(ctx, CompoundMeeting, "compound_meeting", ids)
        case "evaluation":
            found = await visible_by_ids(ctx, Evaluation, "evaluation", ids)
        case "volunteer_service":
            found = await visible_by_ids(ctx, VolunteerService, "volunteer_service", ids)
        case "mobilisation":
            found = await visible_by_ids(ctx, Mobilisation, "mobilisation", ids)
        case "notice":
            found = await visible_by_ids(ctx, Notice, "notice", ids)
        case "notice_question":
            found = await visible_by_ids(ctx, NoticeQuestion, "notice_question", ids)
        case "token":
            found = await visible_by_ids(ctx, ApiToken, "token", ids)
        case "webhook":
            found = await visible_by_ids(ctx, WebhookEndpoint, "webhook", ids)
        case _:
            return set()
    return set(found)
