"""Inputs of the webhook mutations and lists."""

from __future__ import annotations

import strawberry

from db.models import DeliveryStatus, WebhookStatus
from resolvers.outbox import EventKind
from resolvers.webhooks.deliveries import DeliveryFilter, Redeliver
from resolvers.webhooks.endpoints import RegisterWebhook, WebhookFilter, WebhookTarget
from schema.ids import decode_id, decode_optional
from schema.issues.notice_types import EVENT_ID_TYPE


@strawberry.input(description="An endpoint to send a partner token's events to.")
class RegisterWebhookInput:
    url: str = strawberry.field(
        description="Where to POST: https:// (plain http only to 127.0.0.1 or localhost, for "
        "development); no credentials in it, verify the signature instead."
    )
    kinds: list[EventKind] = strawberry.field(
        description="The event kinds to send (at least one); only events the token may read "
        "are ever sent."
    )
    token: strawberry.ID | None = strawberry.field(
        default=None,
        description="The partner token whose access decides what is sent; leave it out when "
        "calling with that partner token.",
    )

    def to_domain(self) -> RegisterWebhook:
        return RegisterWebhook(
            url=self.url,
            kinds=list(self.kinds),
            token_id=decode_optional(self.token, "ApiToken"),
        )


@strawberry.input(description="The webhook endpoint to act on.")
class WebhookEndpointInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's global id.")

    def to_domain(self) -> WebhookTarget:
        return WebhookTarget(id=decode_id(self.id, "WebhookEndpoint"))


@strawberry.input(description="The delivery to send again.")
class RedeliverWebhookInput:
    id: strawberry.ID = strawberry.field(description="The delivery's global id.")

    def to_domain(self) -> Redeliver:
        return Redeliver(id=decode_id(self.id, "WebhookDelivery"))


@strawberry.input(description="Which webhook endpoints to list; all conditions must hold.")
class WebhookEndpointFilter:
    partner: strawberry.ID | None = strawberry.field(default=None, description="For this unit.")
    token: strawberry.ID | None = strawberry.field(
        default=None, description="Serving this partner token."
    )
    status: WebhookStatus | None = strawberry.field(default=None, description="In this state.")

    def to_domain(self) -> WebhookFilter:
        return WebhookFilter(
            partner_id=decode_optional(self.partner, "Organisation"),
            token_id=decode_optional(self.token, "ApiToken"),
            status=self.status,
        )


@strawberry.input(description="Which webhook deliveries to list; all conditions must hold.")
class WebhookDeliveryFilter:
    endpoint: strawberry.ID | None = strawberry.field(default=None, description="To this endpoint.")
    status: DeliveryStatus | None = strawberry.field(default=None, description="In this state.")
    event: strawberry.ID | None = strawberry.field(
        default=None, description="Of this event (the id a delivery's body carries)."
    )

    def to_domain(self) -> DeliveryFilter:
        return DeliveryFilter(
            endpoint_id=decode_optional(self.endpoint, "WebhookEndpoint"),
            status=self.status,
            event_id=decode_optional(self.event, EVENT_ID_TYPE),
        )
