"""The WebhookEndpoint and WebhookDelivery nodes (never a secret), and an attempt."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay

from db.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from resolvers.outbox import EventKind
from resolvers.pagination import Window
from resolvers.webhooks import deliveries
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.ids import encode_id
from schema.issues.notice_types import EVENT_ID_TYPE
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.tokens import loaders as tokens_loaders
from schema.tokens.types import ApiTokenType
from schema.webhooks import loaders


@strawberry.type(
    name="WebhookEndpoint",
    description="Where a partner unit receives events: every event of its kinds that its "
    "partner token may read at the time, POSTed as JSON and signed (README 'Webhooks'). "
    "Readable by whoever holds webhook:read over an organisation the token names (the "
    "secretary, supervisors, admins) and by the token itself (webhooks:manage); the signing "
    "secret is shown once, when it is registered.",
)
class WebhookEndpointType(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Where events are POSTed.")
    kinds: list[EventKind] = strawberry.field(description="The event kinds it is sent.")
    status: WebhookStatus = strawberry.field(description="Whether events are sent now.")
    disabled_reason: DisabledReason | None = strawberry.field(
        description="Why it is disabled, while it is."
    )
    disabled_at: datetime | None = strawberry.field(description="Since when it is disabled.")
    consecutive_failures: int = strawberry.field(
        description="Failed attempts in a row (a success sets it back to 0)."
    )
    failing_since: datetime | None = strawberry.field(
        description="When the current run of failures began; null while it succeeds."
    )
    secret_prefix: str = strawberry.field(
        description="The first characters of its signing secret, to tell secrets apart."
    )
    created_at: datetime = strawberry.field(description="When it was registered.")
    version: int = strawberry.field(description="Changes with every change to it.")
    _row: strawberry.Private[WebhookEndpoint]

    @classmethod
    def from_row(cls, row: WebhookEndpoint) -> Self:
        assert row.id is not None
        known = {kind.value: kind for kind in EventKind}
        return cls(
            id=row.id,
            url=row.url,
            kinds=[known[name] for name in row.kinds if name in known],
            status=row.status,
            disabled_reason=row.disabled_reason,
            disabled_at=row.disabled_at,
            consecutive_failures=row.consecutive_failures,
            failing_since=row.failing_since,
            secret_prefix=row.secret_prefix,
            created_at=row.created_at,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The partner unit it serves, if you may see it.")
    async def partner(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(
            self._row.partner_organisation_id
        )
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="The partner token whose access decides what is sent, if you may see it "
        "(token:read; a partner token does not read tokens)."
    )
    async def token(self, info: Info) -> ApiTokenType | None:
        row = await tokens_loaders.token(info.context).load(self._row.token_id)
        return ApiTokenType.from_row(row) if row else None

    @strawberry.field(description="Its deliveries, newest first.")
    async def deliveries(
        self,
        info: Info,
        status: Annotated[
            DeliveryStatus | None, strawberry.argument(description="Only in this state.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[WebhookDeliveryType]:
        filter = deliveries.DeliveryFilter(endpoint_id=self._row.id, status=status)
        page = await deliveries.list_deliveries(
            info.context, filter, Window(first, after, last, before)
        )
        return to_connection(page, WebhookDeliveryType.from_row)


@strawberry.type(name="WebhookAttempt", description="One POST of a delivery and its answer.")
class WebhookAttemptType:
    number: int = strawberry.field(description="1 for the first attempt of the delivery.")
    started_at: datetime = strawberry.field(description="When it was sent.")
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null when no answer came (see error)."
    )
    latency_ms: int = strawberry.field(description="Milliseconds until the answer or error.")
    succeeded: bool = strawberry.field(description="Whether the receiver answered 2xx.")
    error: str | None = strawberry.field(description="What went wrong, if it did.")

    @classmethod
    def from_row(cls, row: WebhookAttempt) -> Self:
        return cls(
            number=row.number,
            started_at=row.started_at,
            status_code=row.status_code,
            latency_ms=row.latency_ms,
            succeeded=row.succeeded,
            error=row.error,
        )


@strawberry.type(
    name="WebhookDelivery",
    description="One event for one endpoint, tried until delivered or given up on; every "
    "attempt is kept. Readable by whoever may read its endpoint.",
)
class WebhookDeliveryType(relay.Node):
    id: relay.NodeID[int]
    delivery_id: str = strawberry.field(
        description="The Jinlin-Delivery header: the same on every retry of this delivery "
        "(drop repeats by it); a redelivery has its own."
    )
    event: strawberry.ID = strawberry.field(
        description="The event's id (the body's `id`; the same as issueEvents gives out)."
    )
    kind: EventKind = strawberry.field(description="What happened.")
    status: DeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempt_count: int = strawberry.field(description="Attempts made so far.")
    next_attempt_at: datetime = strawberry.field(
        description="When it is (or was last) due to be sent."
    )
    last_status_code: int | None = strawberry.field(description="The last attempt's status.")
    last_latency_ms: int | None = strawberry.field(description="The last attempt's latency.")
    last_error: str | None = strawberry.field(description="The last attempt's error, if any.")
    created_at: datetime = strawberry.field(description="When the event was queued for it.")
    delivered_at: datetime | None = strawberry.field(description="When a receiver took it.")
    _row: strawberry.Private[WebhookDelivery]

    @classmethod
    def from_row(cls, row: WebhookDelivery) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            delivery_id=row.delivery_id,
            event=encode_id(EVENT_ID_TYPE, row.event_id),
            kind=EventKind(row.kind),
            status=row.status,
            attempt_count=row.attempt_count,
            next_attempt_at=row.next_attempt_at,
            last_status_code=row.last_status_code,
            last_latency_ms=row.last_latency_ms,
            last_error=row.last_error,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            _row=row,
        )

    @strawberry.field(description="The endpoint it is for.")
    async def endpoint(self, info: Info) -> WebhookEndpointType | None:
        row = await loaders.endpoint(info.context).load(self._row.endpoint_id)
        return WebhookEndpointType.from_row(row) if row else None

    @strawberry.field(description="The delivery this one repeats, for a redelivery.")
    async def redelivery_of(self, info: Info) -> WebhookDeliveryType | None:
        if self._row.redelivery_of is None:
            return None
        row = await loaders.delivery(info.context).load(self._row.redelivery_of)
        return WebhookDeliveryType.from_row(row) if row else None

    @strawberry.field(description="Its attempts, oldest first (the newest 50).")
    async def attempts(self, info: Info) -> list[WebhookAttemptType]:
        rows = await loaders.attempts(info.context).load(self._row.id or 0)
        return [WebhookAttemptType.from_row(row) for row in rows]


@strawberry.type(description="A newly registered endpoint and its signing secret.")
class RegisteredWebhookPayload:
    endpoint: WebhookEndpointType = strawberry.field(description="The endpoint.")
    secret: str = strawberry.field(
        description="The signing secret (whsec_…). Shown only now: store it, it cannot be read "
        "again. Verify each delivery's Jinlin-Signature with it."
    )


@strawberry.type(description="What was deleted.")
class DeletedWebhookPayload:
    id: strawberry.ID = strawberry.field(description="The deleted endpoint's global id.")


register_node("webhook", WebhookEndpointType, loaders.endpoint)
register_node("webhook_delivery", WebhookDeliveryType, loaders.delivery)
