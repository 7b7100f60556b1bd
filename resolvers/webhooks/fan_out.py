"""Fan-out: the new outbox events of each active endpoint's kinds that its partner token may
read now become deliveries.

Per endpoint a cursor over the outbox moves on in the transaction that queues the deliveries,
with the endpoint row locked (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's BEGIN IMMEDIATE
lets one writer in at a time) and only if the cursor is still where it was read, so any number
of dispatchers queue an event once (a unique index on endpoint and event holds it too).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.engine import Database
from db.models import DisabledReason, OutboxEvent, WebhookDelivery, WebhookEndpoint, WebhookStatus
from resolvers.tokens.bearer import actor_of_token
from resolvers.webhooks.audience import readable_by
from resolvers.webhooks.disabling import disable


async def fan_out(db: Database, *, batch: int) -> tuple[int, bool]:
    """Deliveries for the new events of every active endpoint; (made, a batch was full)."""
    async with db.read_sessions() as session:
        # Event ids follow commit order (written under the audit chain lock), so nothing
        # can still commit at or below `top`: a cursor moved to it skips nothing.
        top = (await session.execute(sa.select(sa.func.max(col(OutboxEvent.id))))).scalar()
        endpoints = (
            await session.execute(
                sa.select(
                    col(WebhookEndpoint.id),
                    col(WebhookEndpoint.token_id),
                    col(WebhookEndpoint.kinds),
                    col(WebhookEndpoint.last_event_id),
                )
                .where(
                    col(WebhookEndpoint.status) == WebhookStatus.ACTIVE,
                    col(WebhookEndpoint.last_event_id) < (top or 0),
                )
                .order_by(col(WebhookEndpoint.id))
            )
        ).all()
    made, busy = 0, False
    for endpoint_id, token_id, kinds, cursor in endpoints:
        count, full = await _fan_out_one(
            db, batch, int(endpoint_id or 0), token_id, kinds, cursor, int(top or 0)
        )
        made += count
        busy = busy or full
    return made, busy


async def _fan_out_one(
    db: Database,
    batch: int,
    endpoint_id: int,
    token_id: int,
    kinds: list[str],
    cursor: int,
    top: int,
) -> tuple[int, bool]:
    async with db.read_sessions() as session:
        events = list(
            (
                await session.execute(
                    sa.select(OutboxEvent)
                    .where(
                        col(OutboxEvent.id) > cursor,
                        col(OutboxEvent.id) <= top,
                        col(OutboxEvent.kind).in_(kinds),
                    )
                    .order_by(col(OutboxEvent.id))
                    .limit(batch)
                )
            )
            .scalars()
            .all()
        )
        # Nobody's access to ask about when none of the new events is of its kinds.
        actor = await actor_of_token(session, token_id, today=clock.today()) if events else None
    if events and actor is None:
        await disable(db, endpoint_id, DisabledReason.TOKEN_INVALID)
        return 0, False
    full = len(events) >= batch
    moved_to = (events[-1].id or cursor) if full else top
    readable = await readable_by(db, actor, events) if actor is not None else set()
    now = clock.now()
    async with db.write() as session:
        endpoint = (
            await session.execute(
                sa.select(WebhookEndpoint)
                .where(
                    col(WebhookEndpoint.id) == endpoint_id,
                    col(WebhookEndpoint.status) == WebhookStatus.ACTIVE,
                    col(WebhookEndpoint.last_event_id) == cursor,
                )
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
        if endpoint is None:
            return 0, False  # another dispatcher moved it on, or it was disabled
        made = 0
        for event in events:
            if event.id in readable:
                session.add(
                    WebhookDelivery(
                        delivery_id=str(uuid.uuid4()),
                        endpoint_id=endpoint_id,
                        event_id=event.id,
                        kind=event.kind,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                made += 1
        endpoint.last_event_id = moved_to
    return made, full
