"""Sending: due deliveries are claimed, POSTed signed, and every attempt recorded.

A due delivery is claimed (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's BEGIN IMMEDIATE
admits one writer) and leased: its next_attempt_at moves a lease ahead before the POST, which
runs outside any transaction. A sender that dies mid-POST leaves the lease to run out and
another sends again: at least once, with the same Jinlin-Delivery id so receivers can drop
the repeat. A 2xx delivers; anything else retries with backoff until given up on, and an
endpoint failing for long enough is disabled. Whether the token may read the event is asked
again just before each POST: a token revoked, or a record moved out of its reach, since the
fan-out sends nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db import clock
from db.engine import Database
from db.models import (
    DeliveryStatus,
    DisabledReason,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from resolvers.tokens.bearer import actor_of_token
from resolvers.webhooks.audience import readable_by
from resolvers.webhooks.disabling import disable
from resolvers.webhooks.pinning import Refused, Resolver, pin, system_resolver
from resolvers.webhooks.policy import DispatchPolicy
from resolvers.webhooks.signing import signature, signing_secret

log = structlog.get_logger("jinlin.webhooks")

# The JSON body of an event as its receiver gets it (the app renders global ids).
Render = Callable[[OutboxEvent], Mapping[str, Any]]
USER_AGENT = "Jinlin-Webhooks/1"
MAX_ERROR = 200


@dataclass(frozen=True)
class Claimed:
    """A delivery this sender holds the lease of, and where it goes."""

    id: int
    delivery_id: str
    event_id: int
    kind: str
    attempt: int
    endpoint_id: int
    url: str
    token_id: int
    secret_salt: str


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender:
    def __init__(
        self,
        db: Database,
        *,
        server_key: str,
        render: Render,
        policy: DispatchPolicy,
        transport: httpx.AsyncBaseTransport | None = None,
        resolve: Resolver = system_resolver,
    ) -> None:
        self.db = db
        self.server_key = server_key
        self.render = render
        self.policy = policy
        self.resolve = resolve
        self.client = httpx.AsyncClient(
            transport=transport,
            timeout=policy.timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            # Requests name the pinned address (resolvers/webhooks/pinning.py) and close
            # their connection: none is kept to be pooled under that address.
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def claim(self) -> list[Claimed]:
        """Lease the due deliveries of active endpoints, oldest first (up to a batch)."""
        now = clock.now()
        async with self.db.write() as session:
            rows = (
                await session.execute(
                    sa.select(
                        WebhookDelivery,
                        col(WebhookEndpoint.url),
                        col(WebhookEndpoint.token_id),
                        col(WebhookEndpoint.secret_salt),
                    )
                    .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
                    .where(
                        col(WebhookDelivery.status) == DeliveryStatus.PENDING,
                        col(WebhookDelivery.next_attempt_at) <= now,
                        col(WebhookEndpoint.status) == WebhookStatus.ACTIVE,
                    )
                    .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
                    .limit(self.policy.batch)
                    .with_for_update(skip_locked=True, of=WebhookDelivery)
                    .execution_options(populate_existing=True)
                )
            ).all()
            claimed = []
            for delivery, url, token_id, salt in rows:
                delivery.attempt_count += 1
                delivery.next_attempt_at = now + self.policy.lease
                assert delivery.id is not None
                claimed.append(
                    Claimed(
                        id=delivery.id,
                        delivery_id=delivery.delivery_id,
                        event_id=delivery.event_id,
                        kind=delivery.kind,
                        attempt=delivery.attempt_count,
                        endpoint_id=delivery.endpoint_id,
                        url=url,
                        token_id=token_id,
                        secret_salt=salt,
                    )
                )
        return claimed

    async def next_due(self) -> datetime | None:
        """When the next delivery of an active endpoint falls due (a retry, a lease running
        out), if any: the dispatcher wakes for it without an outbox event."""
        async with self.db.read_sessions() as session:
            due: datetime | None = (
                await session.execute(
                    sa.select(sa.func.min(col(WebhookDelivery.next_attempt_at)))
                    .join(WebhookEndpoint, col(WebhookEndpoint.id) == WebhookDelivery.endpoint_id)
                    .where(
                        col(WebhookDelivery.status) == DeliveryStatus.PENDING,
                        col(WebhookEndpoint.status) == WebhookStatus.ACTIVE,
                    )
                )
            ).scalar()
        return due

    async def attempt(self, one: Claimed) -> None:
        """Send ONE if its token may still read its event, and record what happened."""
        async with self.db.read_sessions() as session:
            actor = await actor_of_token(session, one.token_id, today=clock.today())
            event = await session.get(OutboxEvent, one.event_id)
        if actor is None:
            await self._unclaim(one)
            await disable(self.db, one.endpoint_id, DisabledReason.TOKEN_INVALID)
            return
        readable = await readable_by(self.db, actor, [event]) if event is not None else set()
        if event is None or one.event_id not in readable:
            await self._give_up(one, "the token may not read this event now; not sent")
            return
        body = json.dumps(self.render(event), ensure_ascii=False, separators=(",", ":")).encode()
        started = clock.now()
        outcome = await self._post(one, body, int(started.timestamp()))
        await self._record(one, started, outcome)
        log.info(
            "webhook attempt",
            delivery_id=one.delivery_id,
            endpoint_id=one.endpoint_id,
            event_id=one.event_id,
            attempt=one.attempt,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
        )

    async def _post(self, one: Claimed, body: bytes, timestamp: int) -> Outcome:
        secret = signing_secret(self.server_key, one.secret_salt)
        headers = {
            "Content-Type": "application/json",
            "Jinlin-Delivery": one.delivery_id,
            "Jinlin-Event": one.kind,
            "Jinlin-Timestamp": str(timestamp),
            "Jinlin-Signature": signature(secret, timestamp, body),
        }
        began = time.perf_counter()

        def elapsed() -> int:
            return int((time.perf_counter() - began) * 1000)

        try:
            # Resolved once and checked; the connection goes to the address checked.
            pinned = await pin(
                one.url, resolve=self.resolve, allow_private=self.policy.allow_private_addresses
            )
        except Refused as refused:
            return Outcome(None, elapsed(), str(refused))
        except (OSError, UnicodeError) as error:
            return Outcome(None, elapsed(), f"the host does not resolve: {error}"[:MAX_ERROR])
        try:
            response = await self.client.post(
                pinned.url,
                content=body,
                headers={**headers, **pinned.headers},
                extensions=pinned.extensions,
            )
        except httpx.TimeoutException:
            return Outcome(None, elapsed(), "timed out")
        except httpx.HTTPError as error:
            return Outcome(None, elapsed(), f"{type(error).__name__}: {error}"[:MAX_ERROR])
        error_text = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return Outcome(response.status_code, elapsed(), error_text)

    async def _record(self, one: Claimed, started: datetime, outcome: Outcome) -> None:
        if await self._record_attempt(one, started, outcome):
            # Audited in a transaction of its own, once the failure is on record.
            await disable(
                self.db, one.endpoint_id, DisabledReason.FAILING, still=self._failing_for_long
            )

    def _failing_for_long(self, endpoint: WebhookEndpoint) -> bool:
        return endpoint.failing_since is not None and self.policy.disable.should_disable(
            endpoint.consecutive_failures, endpoint.failing_since, clock.now()
        )

    async def _record_attempt(self, one: Claimed, started: datetime, outcome: Outcome) -> bool:
        """Record the attempt; True when its endpoint has now failed long enough to be
        disabled."""
        now = clock.now()
        async with self.db.write() as session:
            session.add(
                WebhookAttempt(
                    delivery_id=one.id,
                    number=one.attempt,
                    started_at=started,
                    status_code=outcome.status_code,
                    latency_ms=outcome.latency_ms,
                    succeeded=outcome.succeeded,
                    error=outcome.error,
                )
            )
            delivery = await self._locked_delivery(session, one)
            if delivery is not None:
                delivery.last_status_code = outcome.status_code
                delivery.last_latency_ms = outcome.latency_ms
                delivery.last_error = outcome.error
                if outcome.succeeded:
                    delivery.status = DeliveryStatus.DELIVERED
                    delivery.delivered_at = now
                elif one.attempt >= self.policy.retry.max_attempts:
                    delivery.status = DeliveryStatus.FAILED
                else:
                    delivery.next_attempt_at = now + self.policy.retry.delay(one.attempt)
            endpoint = (
                await session.execute(
                    sa.select(WebhookEndpoint)
                    .where(col(WebhookEndpoint.id) == one.endpoint_id)
                    .with_for_update()
                    .execution_options(populate_existing=True)
                )
            ).scalar_one_or_none()
            if endpoint is None:
                return False
            if outcome.succeeded:
                endpoint.consecutive_failures = 0
                endpoint.failing_since = None
                return False
            endpoint.consecutive_failures += 1
            endpoint.failing_since = endpoint.failing_since or started
            return endpoint.status is WebhookStatus.ACTIVE and self._failing_for_long(endpoint)

    async def _locked_delivery(self, session: AsyncSession, one: Claimed) -> WebhookDelivery | None:
        """The delivery, if this dispatcher's claim still stands (its lease may have run out
        and another dispatcher taken it: then the other one's outcome counts)."""
        delivery: WebhookDelivery | None = (
            await session.execute(
                sa.select(WebhookDelivery)
                .where(
                    col(WebhookDelivery.id) == one.id,
                    col(WebhookDelivery.attempt_count) == one.attempt,
                    col(WebhookDelivery.status) == DeliveryStatus.PENDING,
                )
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
        return delivery

    async def _give_up(self, one: Claimed, reason: str) -> None:
        async with self.db.write() as session:
            delivery = await self._locked_delivery(session, one)
            if delivery is not None:
                delivery.status = DeliveryStatus.FAILED
                delivery.attempt_count -= 1  # nothing was sent
                delivery.last_error = reason

    async def _unclaim(self, one: Claimed) -> None:
        """Hand ONE back untried (its endpoint is being disabled; enabling resumes it)."""
        async with self.db.write() as session:
            delivery = await self._locked_delivery(session, one)
            if delivery is not None:
                delivery.attempt_count -= 1
                delivery.next_attempt_at = clock.now()
