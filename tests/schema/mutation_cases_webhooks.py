"""Cases of the every-mutation walk for webhook endpoints and deliveries."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from app.webhooks import render
from db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from resolvers.webhooks.dispatch import Dispatcher
from schema.ids import encode_id
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import mutate, report
from tests.mutation_cases import Case
from tests.webhook_helpers import ISSUE_KINDS, RECEIVER, partner_token, registered_for_new_token


async def _register(api: Api) -> dict[str, Any]:
    token = await partner_token(api)
    return {"url": RECEIVER, "kinds": ISSUE_KINDS, "token": token["token"]["id"]}


async def _endpoint(api: Api) -> dict[str, Any]:
    _, registered = await registered_for_new_token(api)
    return {"id": registered["endpoint"]["id"]}


async def _disabled_endpoint(api: Api) -> dict[str, Any]:
    variables = await _endpoint(api)
    (await mutate(api, "disableWebhook", variables, as_="secretary", selection="status")).ok()
    return variables


async def _delivery(api: Api) -> dict[str, Any]:
    """A delivery queued (not sent) for an endpoint of a new token of A's partner unit."""
    await _endpoint(api)
    await report(api)
    dispatcher = Dispatcher(api.db, server_key=SECRET_KEY, render=render)
    try:
        await dispatcher.fan_out()
    finally:
        await dispatcher.aclose()
    newest = await api.scalar(sa.select(sa.func.max(col(WebhookDelivery.id))))
    return {"id": str(encode_id("WebhookDelivery", int(newest)))}


WEBHOOK_TABLES = (WebhookDelivery, WebhookAttempt)

WEBHOOK_CASES: dict[str, Case] = {
    "registerWebhook": Case("secretary", "committee_member", _register, WebhookEndpoint),
    "disableWebhook": Case("secretary", "resident", _endpoint, WebhookEndpoint),
    "enableWebhook": Case("secretary", "committee_member", _disabled_endpoint, WebhookEndpoint),
    "deleteWebhook": Case("secretary", "resident", _endpoint, WebhookEndpoint, WEBHOOK_TABLES),
    "redeliverWebhook": Case(
        "secretary", "committee_member", _delivery, WebhookDelivery, (WebhookEndpoint,)
    ),
}
