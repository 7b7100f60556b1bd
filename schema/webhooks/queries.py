"""Queries on webhook endpoints and their deliveries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.pagination import Window
from resolvers.webhooks import deliveries, endpoints
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.webhooks.inputs import WebhookDeliveryFilter, WebhookEndpointFilter
from schema.webhooks.types import WebhookDeliveryType, WebhookEndpointType


@strawberry.type
class WebhookQuery:
    @strawberry.field(
        description="Webhook endpoints you may see, newest first: those of partner tokens "
        "naming an organisation you hold webhook:read over (secretary, supervisors, admins); "
        "a partner token (webhooks:manage) sees its own."
    )
    async def webhook_endpoints(
        self,
        info: Info,
        filter: Annotated[
            WebhookEndpointFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[WebhookEndpointType]:
        domain = filter.to_domain() if filter else endpoints.WebhookFilter()
        page = await endpoints.list_endpoints(
            info.context, domain, Window(first, after, last, before)
        )
        return to_connection(page, WebhookEndpointType.from_row)

    @strawberry.field(
        description="Deliveries to the webhook endpoints you may see, newest first, each with "
        "its attempts."
    )
    async def webhook_deliveries(
        self,
        info: Info,
        filter: Annotated[
            WebhookDeliveryFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[WebhookDeliveryType]:
        domain = filter.to_domain() if filter else deliveries.DeliveryFilter()
        page = await deliveries.list_deliveries(
            info.context, domain, Window(first, after, last, before)
        )
        return to_connection(page, WebhookDeliveryType.from_row)
