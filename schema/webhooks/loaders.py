"""Per-request DataLoaders of webhook endpoints, deliveries and attempts."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from resolvers.context import RequestContext
from resolvers.webhooks import deliveries, endpoints
from schema.common.dataloaders import by_id, cached, many


def endpoint(ctx: RequestContext) -> DataLoader[int, WebhookEndpoint | None]:
    return cached(ctx, "webhook", lambda: DataLoader(by_id(ctx, endpoints.by_ids)))


def delivery(ctx: RequestContext) -> DataLoader[int, WebhookDelivery | None]:
    return cached(ctx, "webhook_delivery", lambda: DataLoader(by_id(ctx, deliveries.by_ids)))


def attempts(ctx: RequestContext) -> DataLoader[int, list[WebhookAttempt]]:
    """The attempts of each delivery of a page, in one statement."""
    return cached(
        ctx, "webhook_delivery:attempts", lambda: DataLoader(many(ctx, deliveries.attempts_of))
    )
