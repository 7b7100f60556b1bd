"""Mutations on webhook endpoints and deliveries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.webhooks import deliveries, endpoints
from resolvers.webhooks.deliveries import REDELIVER_WEBHOOK
from resolvers.webhooks.endpoints import (
    DELETE_WEBHOOK,
    DISABLE_WEBHOOK,
    ENABLE_WEBHOOK,
    REGISTER_WEBHOOK,
)
from schema.context import Info
from schema.ids import encode_id
from schema.mutation_support import INPUT, declared, decode_input
from schema.webhooks.inputs import (
    RedeliverWebhookInput,
    RegisterWebhookInput,
    WebhookEndpointInput,
)
from schema.webhooks.types import (
    DeletedWebhookPayload,
    RegisteredWebhookPayload,
    WebhookDeliveryType,
    WebhookEndpointType,
)


@strawberry.type
class WebhookMutation:
    @declared(
        REGISTER_WEBHOOK,
        "Register an HTTPS endpoint for a partner token and return its signing secret once.",
        "It is sent the events of its kinds that the token may read, from now on.",
    )
    async def register_webhook(
        self,
        info: Info,
        input: Annotated[RegisterWebhookInput, strawberry.argument(description=INPUT)],
    ) -> RegisteredWebhookPayload:
        data = await decode_input(info, REGISTER_WEBHOOK, input, input.to_domain)
        registered = await endpoints.register_webhook(info.context, data)
        return RegisteredWebhookPayload(
            endpoint=WebhookEndpointType.from_row(registered.endpoint), secret=registered.secret
        )

    @declared(
        DISABLE_WEBHOOK,
        "Stop sending to an endpoint; its deliveries wait.",
        "Disabling twice is a CONFLICT.",
    )
    async def disable_webhook(
        self,
        info: Info,
        input: Annotated[WebhookEndpointInput, strawberry.argument(description=INPUT)],
    ) -> WebhookEndpointType:
        data = await decode_input(info, DISABLE_WEBHOOK, input, input.to_domain)
        return WebhookEndpointType.from_row(await endpoints.disable_webhook(info.context, data))

    @declared(
        ENABLE_WEBHOOK,
        "Send to an endpoint again: waiting deliveries and events since go out.",
        "Enabling an enabled endpoint, or one whose token is gone, is a CONFLICT.",
    )
    async def enable_webhook(
        self,
        info: Info,
        input: Annotated[WebhookEndpointInput, strawberry.argument(description=INPUT)],
    ) -> WebhookEndpointType:
        data = await decode_input(info, ENABLE_WEBHOOK, input, input.to_domain)
        return WebhookEndpointType.from_row(await endpoints.enable_webhook(info.context, data))

    @declared(DELETE_WEBHOOK, "Delete an endpoint with its deliveries and their attempts.")
    async def delete_webhook(
        self,
        info: Info,
        input: Annotated[WebhookEndpointInput, strawberry.argument(description=INPUT)],
    ) -> DeletedWebhookPayload:
        data = await decode_input(info, DELETE_WEBHOOK, input, input.to_domain)
        deleted = await endpoints.delete_webhook(info.context, data)
        return DeletedWebhookPayload(id=encode_id("WebhookEndpoint", deleted))

    @declared(
        REDELIVER_WEBHOOK,
        "Send a delivery's event again, now, as a new delivery with its own delivery id.",
        "The endpoint must be enabled (else CONFLICT); it is sent only if the token may still "
        "read the event.",
    )
    async def redeliver_webhook(
        self,
        info: Info,
        input: Annotated[RedeliverWebhookInput, strawberry.argument(description=INPUT)],
    ) -> WebhookDeliveryType:
        data = await decode_input(info, REDELIVER_WEBHOOK, input, input.to_domain)
        return WebhookDeliveryType.from_row(await deliveries.redeliver(info.context, data))
