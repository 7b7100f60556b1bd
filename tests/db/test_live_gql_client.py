"""The README's "Real time" example, run: gql (a GraphQL client from the ecosystem) with its
websockets transport subscribes to issueEvents on a real server over graphql-transport-ws,
signed in at connection_init, and receives an issue reported meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport

from tests.app.processes import serving
from tests.db.test_live_subscriptions import _head, _report
from tests.helpers import Api

# As in the README.
ISSUE_EVENTS = """
subscription ($compound: ID!, $after: ID) {
  issueEvents(filter: {compound: $compound, kinds: [ISSUE_REPORTED, ISSUE_RESOLVED]},
              after: $after) {
    id kind occurredAt fromStatus toStatus issue { id title status }
  }
}"""


async def follow_issues(
    url: str, token: str, compound: str, after: str | None = None
) -> AsyncIterator[dict[str, Any]]:
    transport = WebsocketsTransport(
        url=url,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],  # graphql-transport-ws
        init_payload={"Authorization": f"Bearer {token}"},
    )
    async with Client(transport=transport) as session:
        request = GraphQLRequest(
            ISSUE_EVENTS, variable_values={"compound": compound, "after": after}
        )
        async for result in session.subscribe(request):
            notice: dict[str, Any] = result["issueEvents"]
            yield notice  # keep notice["id"]: pass it as `after` when you reconnect


@pytest.fixture
def server(database_url: str) -> Iterator[str]:
    with serving(database_url) as host:
        yield host


async def test_gql_subscribes_to_issue_events_and_hears_a_report(
    committed: Api, server: str
) -> None:
    api = committed
    # From the outbox head: a feed that starts after the report still delivers it.
    after = await _head(api)
    url = f"ws://{server}/graphql"
    feed = follow_issues(url, api.tokens["resident"], api.ids["compound_a"], after)
    first = asyncio.ensure_future(anext(feed))
    await asyncio.sleep(0.5)  # connected, signed in, subscribed
    assert not first.done()
    started = time.monotonic()
    issue = await _report(server, api.tokens["resident"], api.ids["compound_a"], "gql 漏水")
    notice = await asyncio.wait_for(first, 5)
    assert time.monotonic() - started < 3  # woken by the commit, not by the 5 s poll
    assert notice["kind"] == "ISSUE_REPORTED"
    assert notice["toStatus"] == "REPORTED" and notice["issue"]["id"] == issue
    assert notice["issue"]["title"] == "gql 漏水"
    await feed.aclose()
