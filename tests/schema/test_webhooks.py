"""Webhook endpoints over GraphQL: who registers, sees and manages them, and what is refused.

Deliveries, signatures and retries are the dispatcher's (tests/resolvers/webhooks/).
"""

from __future__ import annotations

import json

import pytest

from db.models import WebhookDelivery, WebhookEndpoint
from resolvers.webhooks.signing import signing_secret
from schema.ids import parse_global_id
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq, mutate
from tests.mutation_cases import assert_refused
from tests.partner_setup import REVOKE
from tests.webhook_helpers import (
    ENDPOINT_FIELDS,
    ISSUE_KINDS,
    RECEIVER,
    partner_token,
    register,
    registered_for_new_token,
)

LIST = "query ($f: WebhookEndpointFilter) { webhookEndpoints(filter: $f, first: 100) { totalCount edges { node { id url } } } }"
NODE = "query ($id: ID!) { node(id: $id) { ... on WebhookEndpoint { id url } } }"
TABLES = (WebhookEndpoint, WebhookDelivery)


async def listed(api: Api, as_: str) -> set[str]:
    page = (await api.run(LIST, {}, as_=as_)).ok()["webhookEndpoints"]
    return {edge["node"]["id"] for edge in page["edges"]}


async def endpoint_row(api: Api, endpoint_id: str) -> WebhookEndpoint | None:
    async with api.db.read_sessions() as session:
        return await session.get(WebhookEndpoint, parse_global_id(endpoint_id)[1])


async def test_the_secretary_registers_an_endpoint_and_sees_its_secret_once(api: Api) -> None:
    seq = await last_seq(api)
    token, registered = await registered_for_new_token(api)
    secret, endpoint = registered["secret"], registered["endpoint"]
    assert secret.startswith("whsec_")
    assert endpoint["secretPrefix"] == secret[:10]
    assert (endpoint["url"], endpoint["status"]) == (RECEIVER, "ACTIVE")
    assert sorted(endpoint["kinds"]) == sorted(ISSUE_KINDS)
    assert endpoint["id"] in await listed(api, "secretary")
    # Stored only as a salt the server key turns into the secret; in no log entry either.
    row = await endpoint_row(api, endpoint["id"])
    assert row is not None
    assert secret not in json.dumps(row.model_dump(), default=str)
    assert signing_secret(SECRET_KEY, row.secret_salt) == secret
    entries = await entries_since(api, seq)
    assert entries[-1].operation == "registerWebhook"
    assert entries[-1].outcome == "SUCCESS"
    assert all(secret not in json.dumps([e.input, e.changes]) for e in entries)
    assert row.token_id == parse_global_id(token["token"]["id"])[1]


async def test_a_partner_token_registers_for_itself_and_reaches_only_its_own(api: Api) -> None:
    mine = await partner_token(api)
    own = (await register(api, as_=mine["secret"]))["endpoint"]
    _, other = await registered_for_new_token(api)
    other_id = other["endpoint"]["id"]
    assert await listed(api, mine["secret"]) == {own["id"]}
    assert {own["id"], other_id} <= await listed(api, "secretary")
    node = await api.run(NODE, {"id": other_id}, as_=mine["secret"])
    assert node.ok()["node"] is None
    # Another token's endpoint of the same partner unit: not found, audited as a denial.
    await assert_refused(
        api,
        "disableWebhook",
        {"id": other_id},
        as_=mine["secret"],
        code="NOT_FOUND",
        tables=TABLES,
    )


async def test_a_partner_token_names_no_other_token(api: Api) -> None:
    mine = await partner_token(api)
    other = await partner_token(api)
    await assert_refused(
        api,
        "registerWebhook",
        {"url": RECEIVER, "kinds": ISSUE_KINDS, "token": other["token"]["id"]},
        as_=mine["secret"],
        code="NOT_FOUND",
        tables=TABLES,
    )


async def test_a_token_without_the_webhooks_scope_registers_nothing(api: Api) -> None:
    reader = await partner_token(api, scopes=["ISSUES_READ"])
    await assert_refused(
        api,
        "registerWebhook",
        {"url": RECEIVER, "kinds": ISSUE_KINDS},
        as_=reader["secret"],
        code="FORBIDDEN",
        tables=TABLES,
    )
    assert await listed(api, reader["secret"]) == set()


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/hooks",
        "ftp://partner.example/hooks",
        "https://user:password@partner.example/hooks",
        "https:///hooks",
        "https://partner.example/hooks#top",
        "https://partner.example:0/hooks",
        "partner.example/hooks",
    ],
)
async def test_a_url_that_is_not_https_is_refused(api: Api, url: str) -> None:
    token = await partner_token(api)
    result = await assert_refused(
        api,
        "registerWebhook",
        {"url": url, "kinds": ISSUE_KINDS, "token": token["token"]["id"]},
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    assert "URL" in result.errors[0]["message"] or "url" in result.errors[0]["message"]


async def test_plain_http_to_this_machine_is_for_development(api: Api) -> None:
    _, registered = await registered_for_new_token(api, url="http://127.0.0.1:9/hooks")
    assert registered["endpoint"]["url"] == "http://127.0.0.1:9/hooks"


async def test_the_secretary_names_the_token_and_no_kind_is_twice(api: Api) -> None:
    token = await partner_token(api)
    await assert_refused(
        api,
        "registerWebhook",
        {"url": RECEIVER, "kinds": ISSUE_KINDS},
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    await assert_refused(
        api,
        "registerWebhook",
        {"url": RECEIVER, "kinds": ["ISSUE_CLAIMED"] * 2, "token": token["token"]["id"]},
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )


async def test_a_revoked_token_gets_no_endpoint_and_none_enabled(api: Api) -> None:
    token, registered = await registered_for_new_token(api)
    endpoint = registered["endpoint"]["id"]
    await mutate(api, "disableWebhook", {"id": endpoint}, as_="secretary", selection="status")
    (await api.run(REVOKE, {"id": token["token"]["id"]}, as_="secretary")).ok()
    for name, input in (
        ("enableWebhook", {"id": endpoint}),
        ("registerWebhook", {"url": RECEIVER, "kinds": ISSUE_KINDS, "token": token["token"]["id"]}),
    ):
        await assert_refused(api, name, input, as_="secretary", code="CONFLICT", tables=TABLES)


async def test_disable_enable_and_delete(api: Api) -> None:
    _, registered = await registered_for_new_token(api)
    endpoint = registered["endpoint"]["id"]

    async def change(name: str) -> dict[str, str]:
        result = await mutate(
            api, name, {"id": endpoint}, as_="secretary", selection=ENDPOINT_FIELDS
        )
        return dict(result.ok()[name])

    disabled = await change("disableWebhook")
    assert (disabled["status"], disabled["disabledReason"]) == ("DISABLED", "MANUAL")
    await assert_refused(
        api, "disableWebhook", {"id": endpoint}, as_="secretary", code="CONFLICT", tables=TABLES
    )
    enabled = await change("enableWebhook")
    assert (enabled["status"], enabled["disabledReason"]) == ("ACTIVE", None)
    assert enabled["version"] == disabled["version"] + 1
    deleted = await mutate(api, "deleteWebhook", {"id": endpoint}, as_="secretary", selection="id")
    assert deleted.ok()["deleteWebhook"]["id"] == endpoint
    assert await endpoint_row(api, endpoint) is None
    assert endpoint not in await listed(api, "secretary")


async def test_supervisors_read_endpoints_but_do_not_manage_them(api: Api) -> None:
    _, registered = await registered_for_new_token(api)
    endpoint = registered["endpoint"]["id"]
    assert endpoint in await listed(api, "supervisor")
    assert endpoint not in await listed(api, "secretary_b")
    assert endpoint not in await listed(api, "committee_member")
    await assert_refused(
        api, "disableWebhook", {"id": endpoint}, as_="supervisor", code="FORBIDDEN", tables=TABLES
    )
    row = await endpoint_row(api, endpoint)
    assert row is not None and row.status == "ACTIVE"


async def test_listing_filters_by_token_and_status(api: Api) -> None:
    token, registered = await registered_for_new_token(api)
    await registered_for_new_token(api)
    found = await api.run(LIST, {"f": {"token": token["token"]["id"]}}, as_="secretary")
    page = found.ok()["webhookEndpoints"]
    assert [edge["node"]["id"] for edge in page["edges"]] == [registered["endpoint"]["id"]]
    disabled = await api.run(LIST, {"f": {"status": "DISABLED"}}, as_="secretary")
    assert registered["endpoint"]["id"] not in {
        e["node"]["id"] for e in disabled.ok()["webhookEndpoints"]["edges"]
    }


AUDIT = """
query ($f: AuditLogFilter) { auditLog(filter: $f, first: 1) { edges { node {
  resourceLabel organisationName changes { field labelEn afterText } } } } }
"""


async def test_the_registration_reads_well_in_the_audit_log(api: Api) -> None:
    await registered_for_new_token(api)
    found = await api.run(AUDIT, {"f": {"operation": "registerWebhook"}}, as_="secretary")
    (edge,) = found.ok()["auditLog"]["edges"]
    entry = edge["node"]
    assert entry["resourceLabel"] == RECEIVER
    assert entry["organisationName"]
    changes = {c["field"]: c for c in entry["changes"]}
    assert changes["url"]["labelEn"] == "Webhook URL"
    assert "對接系統" in changes["token_id"]["afterText"]  # the token by name
    assert set(changes) == {"url", "kinds", "token_id", "partner_organisation_id", "secret_prefix"}
