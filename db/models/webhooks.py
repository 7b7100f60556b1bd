"""Webhooks: endpoints partner units register, and every delivery and attempt to them.

An endpoint belongs to one partner token: what the token may read is what the endpoint
hears of, decided afresh for every event. Its signing secret is never stored: the row
keeps a random salt, and the secret is an HMAC of it under the server's secret key
(resolvers/webhooks/signing.py), so a copy of the database alone signs nothing.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.outbox import EventId
from db.types import UtcDateTime, enum_column, utcnow


class WebhookStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


class DisabledReason(StrEnum):
    MANUAL = "MANUAL"  # someone disabled it
    FAILING = "FAILING"  # the dispatcher gave up after sustained failure
    TOKEN_INVALID = "TOKEN_INVALID"  # noqa: S105 (its token expired or was revoked)


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"  # due at next_attempt_at (the first time, or again)
    DELIVERED = "DELIVERED"  # the receiver answered 2xx
    FAILED = "FAILED"  # every attempt allowed was made and failed


class WebhookEndpoint(SQLModel, table=True):
    __tablename__ = "webhook_endpoint"
    __table_args__ = (
        sa.Index("ix_webhook_endpoint_token", "token_id", "id"),
        sa.Index("ix_webhook_endpoint_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The partner token whose access decides which events are sent (and who manages it).
    token_id: int = Field(foreign_key="api_token.id")
    partner_organisation_id: int = Field(foreign_key="organisation.id")
    url: str = Field(max_length=2048)
    # Event kinds (resolvers.outbox.EventKind values) it wants.
    kinds: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # The secret is HMAC(server secret key, salt); only the salt is kept.
    secret_salt: str = Field(max_length=64)
    # The secret's first characters, to tell secrets apart (as a token's display prefix).
    secret_prefix: str = Field(max_length=16)
    status: WebhookStatus = Field(default=WebhookStatus.ACTIVE, sa_type=enum_column(WebhookStatus))
    disabled_reason: DisabledReason | None = Field(
        default=None, sa_type=enum_column(DisabledReason)
    )
    disabled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The last outbox event the dispatcher has looked at for this endpoint.
    last_event_id: int = Field(default=0, sa_type=EventId)
    # Failed attempts in a row, and since when; a success clears both.
    consecutive_failures: int = Field(default=0)
    failing_since: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    version: int = Field(default=1)


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint, tried until delivered or given up on."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        # What the dispatcher claims: due deliveries, oldest first.
        sa.Index("ix_webhook_delivery_due", "status", "next_attempt_at", "id"),
        sa.Index("ix_webhook_delivery_endpoint", "endpoint_id", "id"),
        # One first delivery per event and endpoint, however many dispatchers run.
        sa.Index(
            "ux_webhook_delivery_event",
            "endpoint_id",
            "event_id",
            unique=True,
            sqlite_where=sa.text("redelivery_of IS NULL"),
            postgresql_where=sa.text("redelivery_of IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Sent as the Jinlin-Delivery header: the same on every retry, so receivers drop repeats.
    delivery_id: str = Field(max_length=36, unique=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    event_id: int = Field(sa_type=EventId)
    kind: str = Field(max_length=64)
    # A redelivery someone asked for names the delivery it repeats.
    redelivery_of: int | None = Field(default=None, foreign_key="webhook_delivery.id")
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, sa_type=enum_column(DeliveryStatus)
    )
    attempt_count: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    last_status_code: int | None = None
    last_latency_ms: int | None = None
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One POST of a delivery: when, what came back, how long it took."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (sa.Index("ix_webhook_attempt_delivery", "delivery_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_delivery.id")
    number: int
    started_at: datetime = Field(sa_type=UtcDateTime)
    status_code: int | None = None
    latency_ms: int
    succeeded: bool
    error: str | None = Field(default=None, max_length=200)
