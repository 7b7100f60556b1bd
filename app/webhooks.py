"""The app's share of webhooks: the body a receiver gets, the dispatcher built from the
settings, and running it beside `serve` when the settings ask for it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from app.settings import Settings
from db.engine import Database
from db.models import OutboxEvent
from resolvers.webhooks.dispatch import Dispatcher, DispatchPolicy
from resolvers.webhooks.policy import DisablePolicy, RetryPolicy
from schema.common.nodes import resource_type_name
from schema.ids import encode_id
from schema.issues.notice_types import EVENT_ID_TYPE


def render(event: OutboxEvent) -> dict[str, Any]:
    """The JSON body of EVENT: ids as the GraphQL API gives them out and status values,
    never names, text or people (fetch what you need with the token, which shows what it
    may see; masked fields stay masked)."""
    type_name = resource_type_name(event.resource_type)
    resource = None
    if type_name is not None and event.resource_id and event.resource_id.isdigit():
        resource = {"type": type_name, "id": encode_id(type_name, int(event.resource_id))}
    status = (event.payload.get("changes") or {}).get("status") or {}
    return {
        "id": encode_id(EVENT_ID_TYPE, event.id or 0),
        "kind": event.kind,
        "occurredAt": event.occurred_at.isoformat(),
        "resource": resource,
        "compound": (
            encode_id("Organisation", event.compound_id) if event.compound_id is not None else None
        ),
        "fromStatus": status.get("before"),
        "toStatus": status.get("after"),
    }


def dispatch_policy(settings: Settings) -> DispatchPolicy:
    return DispatchPolicy(
        retry=RetryPolicy(
            base_seconds=settings.webhook_retry_base_seconds,
            cap_seconds=settings.webhook_retry_cap_seconds,
            max_attempts=settings.webhook_max_attempts,
        ),
        disable=DisablePolicy(
            failures=settings.webhook_disable_after_failures,
            window=timedelta(hours=settings.webhook_disable_after_hours),
        ),
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private_addresses=settings.webhook_allow_private_addresses,
    )


def dispatcher(settings: Settings, db: Database) -> Dispatcher:
    return Dispatcher(
        db, server_key=settings.secret_key, render=render, policy=dispatch_policy(settings)
    )


@asynccontextmanager
async def delivering(settings: Settings, db: Database) -> AsyncIterator[None]:
    """For the life of the app, when JINLIN_WEBHOOKS_IN_SERVE is set: dispatch webhooks."""
    if not settings.webhooks_in_serve:
        yield
        return
    sender = dispatcher(settings, db)
    stop = asyncio.Event()
    task = asyncio.create_task(
        sender.run(poll_seconds=settings.webhook_poll_seconds, stop=stop), name="webhooks"
    )
    try:
        yield
    finally:
        stop.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await sender.aclose()
