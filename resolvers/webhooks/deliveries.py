"""Webhook deliveries as their readers see them, their attempts, and redelivery on request."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from db.types import utcnow
from resolvers.audited import AuditRecord
from resolvers.common import scoped
from resolvers.context import RequestContext
from resolvers.errors import Conflict, NotFound
from resolvers.i18n import tr
from resolvers.mutations import Place, RowMutation
from resolvers.pagination import Page, Window, keyset_page
from resolvers.webhooks.endpoints import endpoint_place

RESOURCE = "webhook_delivery"
# Attempts a delivery shows (its newest); the dispatcher gives up long before.
MAX_ATTEMPTS_SHOWN = 50


@dataclass(frozen=True)
class DeliveryFilter:
    endpoint_id: int | None = None
    status: DeliveryStatus | None = None
    event_id: int | None = None


@dataclass(frozen=True)
class Redeliver:
    id: int


def readable(ctx: RequestContext) -> sa.Select[WebhookDelivery]:
    """Deliveries the caller may read: by policy, and for a partner token its own only."""
    statement = scoped(ctx, WebhookDelivery, RESOURCE)
    if ctx.actor.is_partner:
        statement = statement.where(
            col(WebhookDelivery.endpoint_id).in_(
                sa.select(col(WebhookEndpoint.id)).where(
                    col(WebhookEndpoint.token_id) == ctx.actor.token_id
                )
            )
        )
    return statement


async def _delivery_place(
    ctx: RequestContext, session: AsyncSession, delivery: WebhookDelivery
) -> Place:
    endpoint = await session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None:
        raise NotFound(tr("No webhook delivery with that id exists or you may not see it."))
    return await endpoint_place(ctx, session, endpoint)


REDELIVER_WEBHOOK = RowMutation(
    operation="redeliverWebhook",
    resource=RESOURCE,
    action="redeliver",
    what=tr("redeliver this webhook delivery"),
    needs=" over an organisation the endpoint's partner token names (a partner token: its own)",
    model=WebhookDelivery,
    noun=tr("webhook delivery"),
    locate=_delivery_place,
)


async def redeliver(ctx: RequestContext, data: Redeliver) -> WebhookDelivery:
    """A new delivery of the same event to the same endpoint, due now, with a new delivery
    id (a receiver that dropped the first as a duplicate takes this one)."""

    async def apply(
        session: AsyncSession, original: WebhookDelivery, record: AuditRecord
    ) -> WebhookDelivery:
        endpoint = await session.get(WebhookEndpoint, original.endpoint_id)
        assert endpoint is not None  # locate found it
        if endpoint.status is not WebhookStatus.ACTIVE:
            raise Conflict(tr("The endpoint is disabled: enable it before redelivering."))
        copy = WebhookDelivery(
            delivery_id=str(uuid.uuid4()),
            endpoint_id=original.endpoint_id,
            event_id=original.event_id,
            kind=original.kind,
            redelivery_of=original.id,
            next_attempt_at=utcnow(),
        )
        session.add(copy)
        await session.flush()
        record.change("redelivery_id", None, copy.id)
        record.change("delivery_id", None, copy.delivery_id)
        record.wake()  # due now: the dispatcher sends it now, not at its fallback poll
        return copy

    return await REDELIVER_WEBHOOK.on(ctx, data.id, apply, data={"id": data.id})


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, WebhookDelivery]:
    if not ids:
        return {}
    rows: list[WebhookDelivery] = await read_whole(
        ctx.read, readable(ctx).where(col(WebhookDelivery.id).in_(set(ids)))
    )
    return {row.id: row for row in rows if row.id is not None}


async def list_deliveries(
    ctx: RequestContext, filter: DeliveryFilter, window: Window
) -> Page[WebhookDelivery]:
    """Newest first; scoped in SQL like every list."""
    statement = readable(ctx)
    if filter.endpoint_id is not None:
        statement = statement.where(col(WebhookDelivery.endpoint_id) == filter.endpoint_id)
    if filter.status is not None:
        statement = statement.where(col(WebhookDelivery.status) == filter.status)
    if filter.event_id is not None:
        statement = statement.where(col(WebhookDelivery.event_id) == filter.event_id)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(WebhookDelivery.id)],
        key_of=lambda delivery: (delivery.id,),
        window=window,
        descending=True,
    )


async def attempts_of(
    ctx: RequestContext, delivery_ids: Sequence[int]
) -> dict[int, list[WebhookAttempt]]:
    """The attempts of each delivery (already read through its scope), oldest first, for a
    page of deliveries in one statement."""
    found: dict[int, list[WebhookAttempt]] = {key: [] for key in delivery_ids}
    if not delivery_ids:
        return found
    rows: list[WebhookAttempt] = await read_whole(
        ctx.read,
        sa.select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_(set(delivery_ids)))
        .order_by(col(WebhookAttempt.delivery_id), col(WebhookAttempt.number)),
    )
    for attempt in rows:
        found[attempt.delivery_id].append(attempt)
    return {key: attempts[-MAX_ATTEMPTS_SHOWN:] for key, attempts in found.items()}
