"""The webhook dispatcher inside a real `serve` process is woken by the outbox signal, not
by its poll: with a fallback poll of a minute, an issue reported over HTTP reaches the
partner's receiver within seconds, and so does a redelivery (which writes no event)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col

from db.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from schema.ids import decode_id, encode_id
from tests.app.processes import serving
from tests.db.test_live_subscriptions import _report
from tests.helpers import ENGLISH, Api
from tests.webhook_helpers import partner_token, register
from tests.webhook_receiver import Receiver, running_receiver

REDELIVER = "mutation ($id: ID!) { redeliverWebhook(input: {id: $id}) { id } }"
PROMPTLY = 5.0  # seconds: far below the minute's poll, with room for a loaded machine


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
async def endpoints(committed: Api) -> AsyncIterator[list[int]]:
    """Ids of the endpoints a test registers, deleted with their deliveries and attempts once
    the server has stopped (`server` depends on this fixture, so it is torn down first).
    Deleting them while its dispatcher still ran could deadlock with a fan-out on
    PostgreSQL, and the rows left behind failed later tests."""
    registered: list[int] = []
    yield registered
    async with committed.db.write() as session:
        ours = sa.select(WebhookDelivery.id).where(col(WebhookDelivery.endpoint_id).in_(registered))
        await session.execute(
            sa.delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(ours))
        )
        await session.execute(
            sa.delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id).in_(registered))
        )
        await session.execute(
            sa.delete(WebhookEndpoint).where(col(WebhookEndpoint.id).in_(registered))
        )


@pytest.fixture
def server(database_url: str, endpoints: list[int]) -> Iterator[str]:
    with serving(
        database_url,
        webhooks_in_serve="true",
        webhook_poll_seconds="60",
        webhook_allow_private_addresses="true",  # the receiver is on 127.0.0.1
    ) as host:
        yield host


async def _received(receiver: Receiver, count: int) -> float:
    """Seconds until RECEIVER holds COUNT requests (fails after PROMPTLY)."""
    began = time.monotonic()
    while len(receiver.requests) < count:
        assert time.monotonic() - began < PROMPTLY, "the dispatcher was not woken"
        await asyncio.sleep(0.02)
    return time.monotonic() - began


async def test_an_event_and_a_redelivery_reach_the_receiver_without_waiting_for_the_poll(
    committed: Api, receiver: Receiver, endpoints: list[int], server: str
) -> None:
    api = committed
    token = await partner_token(api)
    registered = await register(api, as_=token["secret"], url=receiver.url)
    endpoint_id = decode_id(registered["endpoint"]["id"], "WebhookEndpoint")
    endpoints.append(endpoint_id)
    await asyncio.sleep(0.3)  # the dispatcher's first pass is over: it waits now
    await _report(server, api.tokens["resident"], api.ids["compound_a"], "漏水 hook")
    await _received(receiver, 1)
    assert receiver.requests[0].headers["jinlin-event"] == "issue.reported"
    delivery = await api.scalar(
        sa.select(WebhookDelivery.id).where(col(WebhookDelivery.endpoint_id) == endpoint_id)
    )
    # A redelivery writes no outbox event: its mutation wakes the dispatcher itself
    # (sent to the server: on SQLite only a writer in its process wakes it).
    async with httpx.AsyncClient(headers=ENGLISH, timeout=30) as client:
        answer = await client.post(
            f"http://{server}/graphql",
            json={
                "query": REDELIVER,
                "variables": {"id": str(encode_id("WebhookDelivery", int(delivery)))},
            },
            headers={"Authorization": f"Bearer {api.tokens['secretary']}"},
        )
    assert "errors" not in answer.json(), answer.json()
    await _received(receiver, 2)
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["jinlin-delivery"] != second.headers["jinlin-delivery"]
