"""GraphQL names and descriptions of the webhook enums."""

from __future__ import annotations

import strawberry

from db.models import DeliveryStatus, DisabledReason, WebhookStatus

WebhookStatusEnum = strawberry.enum(
    WebhookStatus,
    name="WebhookStatus",
    description="ACTIVE: events are sent. DISABLED: nothing is sent until it is enabled again "
    "(deliveries wait, and events since are sent then).",
)

DisabledReasonEnum = strawberry.enum(
    DisabledReason,
    name="WebhookDisabledReason",
    description="MANUAL: someone disabled it. FAILING: its receiver failed for too long. "
    "TOKEN_INVALID: its partner token expired or was revoked.",
)

DeliveryStatusEnum = strawberry.enum(
    DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="PENDING: to be sent (again) at nextAttemptAt. DELIVERED: the receiver answered "
    "2xx. FAILED: given up on after the attempts allowed, or the token may no longer read it.",
)
