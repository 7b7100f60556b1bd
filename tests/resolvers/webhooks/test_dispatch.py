"""The dispatcher against a real receiver on 127.0.0.1: signed, scoped, retried with backoff,
disabled after sustained failure, redelivered on request, and nothing lost across a restart.

The clock is stopped (db.clock) and moved by hand, so backoff waits take no time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from app.webhooks import render
from db import clock
from db.engine import Database
from db.models import ApiToken, OutboxEvent, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from resolvers.webhooks.dispatch import Dispatcher, DispatchPolicy
from resolvers.webhooks.pinning import Resolver, system_resolver
from resolvers.webhooks.policy import DisablePolicy, RetryPolicy
from schema.ids import encode_id, parse_global_id
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq, mutate, report
from tests.partner_setup import REVOKE
from tests.webhook_helpers import partner_token, register
from tests.webhook_receiver import Receiver, running_receiver

README = Path(__file__).resolve().parents[3] / "README.md"
DELIVERIES = """
query ($f: WebhookDeliveryFilter) {
  webhookDeliveries(filter: $f, first: 100) {
    totalCount
    edges { node { id deliveryId event kind status attemptCount lastStatusCode lastLatencyMs
      redeliveryOf { id } endpoint { id } attempts { number statusCode succeeded latencyMs error } } }
  }
}
"""
BASE = 10.0  # seconds before the first retry, doubled each time (jitter fixed at its top)


def readme_verify() -> Callable[..., bool]:
    """The README's verification snippet, run as written."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    (snippet,) = [b for b in blocks if "def verify(" in b and "Jinlin-Signature" in b]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)  # noqa: S102 (our own README's code, under test)
    verify: Callable[..., bool] = namespace["verify"]
    return verify


@pytest.fixture(scope="module")
def module_receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


@pytest.fixture
def receiver(module_receiver: Receiver) -> Receiver:
    module_receiver.reset()
    return module_receiver


def make_dispatcher(
    db: Database,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    resolve: Resolver = system_resolver,
    **changes: Any,
) -> Dispatcher:
    policy = {
        "retry": RetryPolicy(base_seconds=BASE, max_attempts=5, jitter=lambda: 1.0),
        "disable": DisablePolicy(failures=3, window=timedelta(seconds=60)),
        "concurrency": 1,  # the test's sessions share one connection
        "allow_private_addresses": True,
        "timeout_seconds": 5.0,
        **changes,
    }
    return Dispatcher(
        db,
        server_key=SECRET_KEY,
        render=render,
        policy=DispatchPolicy(**policy),
        transport=transport,
        resolve=resolve,
    )


@pytest.fixture
async def dispatcher(db: Database) -> Any:
    sender = make_dispatcher(db)
    yield sender
    await sender.aclose()


async def endpoint_for(
    api: Api, receiver: Receiver, scopes: list[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(a new partner token of A's partner unit, the endpoint it registered for itself)."""
    token = await partner_token(api, scopes)
    registered = await register(api, as_=token["secret"], url=receiver.url)
    return token, registered


async def deliveries(api: Api) -> list[WebhookDelivery]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(sa.select(WebhookDelivery).order_by(WebhookDelivery.id))
        return list(rows.scalars().all())


def delivery_gid(delivery: WebhookDelivery) -> str:
    return str(encode_id("WebhookDelivery", delivery.id or 0))


async def endpoint_row(api: Api, global_id: str) -> WebhookEndpoint:
    async with api.db.read_sessions() as session:
        row = await session.get(WebhookEndpoint, parse_global_id(global_id)[1])
        assert row is not None
        return row


async def test_an_event_goes_out_signed_with_ids_only(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    token, registered = await endpoint_for(api, receiver)
    issue = await report(api)
    done = await dispatcher.run_once()
    assert (done.fanned_out, done.attempted) == (1, 1)
    (request,) = receiver.requests
    now = int(frozen_clock.now().timestamp())
    verify = readme_verify()
    assert verify(registered["secret"], request.headers, request.body, now=now)
    assert not verify(registered["secret"], request.headers, request.body + b" ", now=now)
    assert not verify("whsec_other", request.headers, request.body, now=now)
    # Outside the replay window the same request is refused.
    assert not verify(registered["secret"], request.headers, request.body, now=now + 301)
    body = json.loads(request.body)
    assert body["kind"] == "issue.reported"
    assert body["resource"] == {"type": "Issue", "id": issue["id"]}
    assert body["compound"] == api.ids["compound_a"]
    assert body["toStatus"] == "REPORTED"
    assert set(body) == {
        "id",
        "kind",
        "occurredAt",
        "resource",
        "compound",
        "fromStatus",
        "toStatus",
    }
    # The partner lists its deliveries, each with its attempts.
    listed = (await api.run(DELIVERIES, {}, as_=token["secret"])).ok()["webhookDeliveries"]
    (node,) = [edge["node"] for edge in listed["edges"]]
    assert node["deliveryId"] == request.headers["jinlin-delivery"]
    assert node["event"] == body["id"]
    assert (node["status"], node["attemptCount"], node["lastStatusCode"]) == ("DELIVERED", 1, 200)
    assert node["endpoint"]["id"] == registered["endpoint"]["id"]
    (attempt,) = node["attempts"]
    assert (attempt["number"], attempt["statusCode"], attempt["succeeded"]) == (1, 200, True)
    assert attempt["latencyMs"] >= 0
    # Nothing more to do: a second pass sends nothing.
    assert (await dispatcher.run_once()).attempted == 0
    assert len(receiver.requests) == 1


async def test_deliveries_their_attempts_and_endpoints_are_read_as_columns(
    api: Api,
    receiver: Receiver,
    dispatcher: Dispatcher,
    frozen_clock: clock.FrozenClock,
    whole_model_reads: list[str],
) -> None:
    token, registered = await endpoint_for(api, receiver)
    await report(api)
    await dispatcher.run_once()
    whole_model_reads.clear()
    listed = (await api.run(DELIVERIES, {}, as_=token["secret"])).ok()["webhookDeliveries"]
    (node,) = [edge["node"] for edge in listed["edges"]]
    assert node["endpoint"]["id"] == registered["endpoint"]["id"]
    assert [attempt["number"] for attempt in node["attempts"]] == [1]
    query = """query ($id: ID!) { node(id: $id) { ... on WebhookDelivery {
      id status attempts { number succeeded } endpoint { id } } } }"""
    fetched = (await api.run(query, {"id": node["id"]}, as_=token["secret"])).ok()["node"]
    assert fetched == {
        "id": node["id"],
        "status": "DELIVERED",
        "attempts": [{"number": 1, "succeeded": True}],
        "endpoint": {"id": registered["endpoint"]["id"]},
    }
    assert whole_model_reads == []


async def test_only_events_the_token_may_read_are_sent(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    await endpoint_for(api, receiver)
    unread = await endpoint_for(api, receiver, scopes=["WEBHOOKS_MANAGE"])
    outside = await report(api, as_="resident_b", compound="b")
    inside = await report(api)
    await dispatcher.run_once()
    sent = [json.loads(r.body)["resource"]["id"] for r in receiver.requests]
    assert sent == [inside["id"]]
    assert outside["id"] not in sent
    rows = await deliveries(api)
    assert len(rows) == 1
    assert rows[0].endpoint_id != parse_global_id(unread[1]["endpoint"]["id"])[1]
    # Other partners' deliveries stay out of a partner's list (scoped in SQL).
    listed = (await api.run(DELIVERIES, {}, as_=unread[0]["secret"])).ok()
    assert listed["webhookDeliveries"]["totalCount"] == 0


async def test_a_failing_receiver_is_retried_with_backoff(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    await endpoint_for(api, receiver)
    receiver.answer(500, 503)
    await report(api)
    await dispatcher.run_once()
    (delivery,) = await deliveries(api)
    assert (delivery.status, delivery.last_status_code) == ("PENDING", 500)
    assert delivery.next_attempt_at == frozen_clock.now() + timedelta(seconds=BASE)
    # Between passes the dispatcher sleeps until then (or an outbox wake-up), not a poll.
    assert await dispatcher.sender.next_due() == delivery.next_attempt_at
    frozen_clock.advance(timedelta(seconds=BASE - 1))
    assert (await dispatcher.run_once()).attempted == 0
    frozen_clock.advance(timedelta(seconds=1))
    assert (await dispatcher.run_once()).attempted == 1
    frozen_clock.advance(timedelta(seconds=2 * BASE - 1))
    assert (await dispatcher.run_once()).attempted == 0
    frozen_clock.advance(timedelta(seconds=1))
    assert (await dispatcher.run_once()).attempted == 1
    (delivery,) = await deliveries(api)
    assert (delivery.status, delivery.attempt_count) == ("DELIVERED", 3)
    # Every attempt carried the one delivery id (receivers drop repeats by it) and was kept.
    assert len({r.headers["jinlin-delivery"] for r in receiver.requests}) == 1
    async with api.db.read_sessions() as session:
        attempts = (
            await session.execute(
                sa.select(WebhookAttempt.status_code, WebhookAttempt.error)
                .where(WebhookAttempt.delivery_id == delivery.id)
                .order_by(WebhookAttempt.number)
            )
        ).all()
    assert [tuple(a) for a in attempts] == [(500, "HTTP 500"), (503, "HTTP 503"), (200, None)]


async def test_a_delivery_is_given_up_on_after_its_attempts(
    api: Api, receiver: Receiver, db: Database, frozen_clock: clock.FrozenClock
) -> None:
    sender = make_dispatcher(
        db,
        retry=RetryPolicy(base_seconds=BASE, max_attempts=2, jitter=lambda: 1.0),
        disable=DisablePolicy(failures=100, window=timedelta(days=1)),
    )
    try:
        await endpoint_for(api, receiver)
        receiver.answer(500, 500, 500)
        await report(api)
        await sender.run_once()
        frozen_clock.advance(timedelta(seconds=BASE))
        await sender.run_once()
        frozen_clock.advance(timedelta(days=1))
        assert (await sender.run_once()).attempted == 0
    finally:
        await sender.aclose()
    (delivery,) = await deliveries(api)
    assert (delivery.status, delivery.attempt_count) == ("FAILED", 2)


async def test_sustained_failure_disables_the_endpoint_until_enabled(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    _, registered = await endpoint_for(api, receiver)
    endpoint = registered["endpoint"]["id"]
    receiver.answer(*[500] * 4)
    await report(api)
    await dispatcher.run_once()  # t=0
    for wait in (BASE, 2 * BASE):  # t=10, t=30: three failures, but within the window
        frozen_clock.advance(timedelta(seconds=wait))
        await dispatcher.run_once()
    assert (await endpoint_row(api, endpoint)).status == "ACTIVE"
    frozen_clock.advance(timedelta(seconds=4 * BASE))  # t=70: over the 60-second window
    await dispatcher.run_once()
    row = await endpoint_row(api, endpoint)
    assert (row.status, row.disabled_reason, row.consecutive_failures) == ("DISABLED", "FAILING", 4)
    frozen_clock.advance(timedelta(hours=1))
    assert (await dispatcher.run_once()).attempted == 0
    assert len(receiver.requests) == 4
    # Enabled again, the waiting delivery goes out with what happened meanwhile.
    await report(api)
    result = await mutate(
        api, "enableWebhook", {"id": endpoint}, as_="secretary", selection="status"
    )
    assert result.ok()["enableWebhook"]["status"] == "ACTIVE"
    frozen_clock.advance(timedelta(hours=1))
    await dispatcher.run_once()
    assert [d.status for d in await deliveries(api)] == ["DELIVERED", "DELIVERED"]
    assert (await endpoint_row(api, endpoint)).consecutive_failures == 0


async def test_the_dispatcher_audits_and_announces_an_endpoint_it_disables(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    _, registered = await endpoint_for(api, receiver)
    endpoint = registered["endpoint"]["id"]
    receiver.answer(*[500] * 4)
    await report(api)
    await dispatcher.run_once()
    for wait in (BASE, 2 * BASE):
        frozen_clock.advance(timedelta(seconds=wait))
        await dispatcher.run_once()
    frozen_clock.advance(timedelta(seconds=4 * BASE))  # over the window: disabled now
    seq = await last_seq(api)
    await dispatcher.run_once()
    row = await endpoint_row(api, endpoint)
    assert (row.status, row.disabled_reason) == ("DISABLED", "FAILING")
    # Audited with the system as actor: no person, no token, and what led to it.
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.resource_type) == (
        "disableWebhook",
        "SUCCESS",
        "webhook",
    )
    assert entry.resource_id == str(row.id)
    assert (entry.actor_person_id, entry.actor_token_id, entry.role) == (None, None, "system")
    assert entry.request_id is not None and entry.request_id.startswith("webhook-dispatcher-")
    assert {c["field"]: (c["before"], c["after"]) for c in entry.changes} == {
        "status": ("ACTIVE", "DISABLED"),
        "disabled_reason": (None, "FAILING"),
    }
    assert (entry.input["reason"], entry.input["consecutive_failures"]) == ("FAILING", 4)
    assert entry.compound_id == api.compound("a")
    # Announced in the same transaction, for whoever registered it.
    async with api.db.read_sessions() as session:
        (event,) = (
            await session.execute(sa.select(OutboxEvent).where(OutboxEvent.audit_seq == entry.seq))
        ).scalars()
    assert (event.kind, event.resource_type, event.resource_id) == (
        "webhook.disabled",
        "webhook",
        str(row.id),
    )
    assert event.payload["reason"] == "FAILING"
    assert event.payload["person_id"] == row.created_by_id
    assert event.compound_id == api.compound("a")
    # The log reads it as the system's doing.
    log = await api.run(
        "query ($f: AuditLogFilter) { auditLog(filter: $f, first: 5) { edges { node { operation actorName } } } }",
        {"f": {"resourceType": "webhook"}},
        as_="admin",
    )
    names = {
        (n["node"]["operation"], n["node"]["actorName"]) for n in log.ok()["auditLog"]["edges"]
    }
    assert ("disableWebhook", "系统 (system)") in names
    # Nothing more is disabled, audited or announced on the next pass.
    seq = await last_seq(api)
    frozen_clock.advance(timedelta(hours=1))
    await dispatcher.run_once()
    assert await entries_since(api, seq) == []


async def test_the_partner_redelivers_a_delivery(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    token, registered = await endpoint_for(api, receiver)
    await report(api)
    await dispatcher.run_once()
    (first,) = await deliveries(api)
    seq = await last_seq(api)
    result = await mutate(
        api,
        "redeliverWebhook",
        {"id": delivery_gid(first)},
        as_=token["secret"],
        selection="id deliveryId status redeliveryOf { id }",
    )
    again = result.ok()["redeliverWebhook"]
    assert again["status"] == "PENDING"
    assert again["redeliveryOf"]["id"] == delivery_gid(first)
    assert again["deliveryId"] != first.delivery_id
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome) == ("redeliverWebhook", "SUCCESS")
    await dispatcher.run_once()
    assert len(receiver.requests) == 2
    one, two = (json.loads(r.body) for r in receiver.requests)
    assert one == two  # the same event
    assert receiver.requests[1].headers["jinlin-delivery"] == again["deliveryId"]
    # Deleting the endpoint takes its deliveries (the redelivery first) and their attempts.
    deleted = await mutate(
        api,
        "deleteWebhook",
        {"id": registered["endpoint"]["id"]},
        as_=token["secret"],
        selection="id",
    )
    deleted.ok()
    assert await deliveries(api) == []
    assert await api.scalar(sa.select(sa.func.count()).select_from(WebhookAttempt)) == 0


async def test_another_token_redelivers_nothing(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    await endpoint_for(api, receiver)
    other = await partner_token(api)
    await report(api)
    await dispatcher.run_once()
    (first,) = await deliveries(api)
    seq = await last_seq(api)
    result = await mutate(
        api, "redeliverWebhook", {"id": delivery_gid(first)}, as_=other["secret"], selection="id"
    )
    assert result.codes == ["NOT_FOUND"]
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome) == ("redeliverWebhook", "DENIED")
    assert len(await deliveries(api)) == 1


async def test_a_restart_loses_nothing_and_fans_out_once(
    api: Api, receiver: Receiver, db: Database, frozen_clock: clock.FrozenClock
) -> None:
    await endpoint_for(api, receiver)
    await report(api)
    first, second = make_dispatcher(db), make_dispatcher(db)
    try:
        # Both fan out; the cursor lets the event through once.
        assert (await first.fan_out())[0] == 1
        assert (await second.fan_out())[0] == 0
        # The first claims the delivery and dies before sending it.
        assert len(await first.claim()) == 1
    finally:
        await first.aclose()
    # Its lease holds the delivery from the second until it runs out; then it goes out once.
    assert (await second.run_once()).attempted == 0
    frozen_clock.advance(timedelta(minutes=2))
    try:
        assert (await second.run_once()).attempted == 1
        assert (await second.run_once()).attempted == 0
    finally:
        await second.aclose()
    assert len(receiver.requests) == 1
    (delivery,) = await deliveries(api)
    assert delivery.status == "DELIVERED"


async def test_a_revoked_token_disables_its_endpoint_and_sends_nothing(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    token, registered = await endpoint_for(api, receiver)
    await report(api)
    await dispatcher.fan_out()
    (await api.run(REVOKE, {"id": token["token"]["id"]}, as_="secretary")).ok()
    seq = await last_seq(api)
    await dispatcher.run_once()
    assert receiver.requests == []
    row = await endpoint_row(api, registered["endpoint"]["id"])
    assert (row.status, row.disabled_reason) == ("DISABLED", "TOKEN_INVALID")
    (entry,) = [e for e in await entries_since(api, seq) if e.operation == "disableWebhook"]
    assert (entry.role, entry.outcome, entry.resource_id) == ("system", "SUCCESS", str(row.id))
    assert entry.input["reason"] == "TOKEN_INVALID"
    (delivery,) = await deliveries(api)
    assert (delivery.status, delivery.attempt_count) == ("PENDING", 0)


async def test_access_lost_after_the_fan_out_sends_nothing(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    token, _ = await endpoint_for(api, receiver)
    await report(api)
    await dispatcher.fan_out()
    async with api.db.write() as session:
        await session.execute(
            sa.update(ApiToken)
            .where(ApiToken.id == parse_global_id(token["token"]["id"])[1])
            .values(scopes=["webhooks:manage"])
        )
    await dispatcher.run_once()
    assert receiver.requests == []
    (delivery,) = await deliveries(api)
    assert delivery.status == "FAILED"
    assert delivery.last_error is not None and "may not read" in delivery.last_error


async def test_private_addresses_are_refused_unless_allowed(
    api: Api, receiver: Receiver, db: Database, frozen_clock: clock.FrozenClock
) -> None:
    sender = make_dispatcher(db, allow_private_addresses=False)
    try:
        await endpoint_for(api, receiver)
        await report(api)
        await sender.run_once()
    finally:
        await sender.aclose()
    assert receiver.requests == []
    (delivery,) = await deliveries(api)
    assert delivery.status == "PENDING"
    assert delivery.last_error == "the URL resolves to a private or loopback address"


async def test_events_of_other_kinds_are_passed_over(
    api: Api, receiver: Receiver, dispatcher: Dispatcher, frozen_clock: clock.FrozenClock
) -> None:
    token = await partner_token(api)
    registered = await register(
        api, as_=token["secret"], url=receiver.url, kinds=["ISSUE_RESOLVED"]
    )
    before = (await endpoint_row(api, registered["endpoint"]["id"])).last_event_id
    await report(api)
    assert (await dispatcher.run_once()).fanned_out == 0
    assert receiver.requests == []
    assert await deliveries(api) == []
    # The cursor moved past the event, so it is never looked at again.
    assert (await endpoint_row(api, registered["endpoint"]["id"])).last_event_id > before
