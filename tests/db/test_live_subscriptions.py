"""issueEvents over WebSocket against a real app process: signed in at connection_init,
filtered by the subscriber's grants at delivery, masked as a query would be, resumable
from an event id, and closed (4401, 4403) once the token or a grant ends, idle or not."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import websockets
from sqlmodel import col

from db import clock
from db.models import ApiToken, Organisation, OutboxEvent, Position
from db.models.enums import PositionTitle
from db.types import utcnow
from resolvers.tokens.bearer import hash_secret
from schema.ids import encode_id
from tests.app.processes import serving
from tests.helpers import ENGLISH, Api
from tests.lovebank_helpers import resident_id, token_for

SUBSCRIBE = """
subscription ($f: IssueEventsFilter, $after: ID) {
  issueEvents(filter: $f, after: $after) {
    id kind fromStatus toStatus issue { id title status reporter { id } }
  }
}"""
REPORT = "mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id version } }"
PROTOCOL = websockets.Subprotocol("graphql-transport-ws")


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    """One app process for the module: each test reads the outbox from its own head on."""
    with serving(database_url, live_poll_seconds="0.1", max_subscriptions_per_token="2") as host:
        yield host


@pytest.fixture
def guarded(database_url: str) -> Iterator[str]:
    """A server whose feeds poll once a minute but check access every 0.3 s: what closes an
    idle feed is the check, not a poll or a wake-up (the tests write beside the server)."""
    with serving(database_url, live_poll_seconds="60", live_access_check_seconds="0.3") as host:
        yield host


class Live:
    def __init__(self, socket: websockets.ClientConnection) -> None:
        self.socket = socket

    async def subscribe(self, id_: str, variables: dict[str, Any]) -> None:
        payload = {"query": SUBSCRIBE, "variables": variables}
        await self.socket.send(json.dumps({"id": id_, "type": "subscribe", "payload": payload}))

    async def next(self, within: float = 10) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), within))
        return message

    async def quiet(self, seconds: float) -> list[dict[str, Any]]:
        """Whatever arrives within SECONDS (nothing, when all is well)."""
        got = []
        try:
            while True:
                got.append(await self.next(seconds))
        except TimeoutError:
            return got

    async def closed(self, within: float = 5) -> tuple[int, str]:
        """The close code and reason, once the server closes (nothing else arrives first)."""
        with pytest.raises(websockets.ConnectionClosed) as closed:
            got = await self.next(within)
            raise AssertionError(f"sent {got} instead of closing")
        assert closed.value.rcvd is not None
        return closed.value.rcvd.code, closed.value.rcvd.reason


@asynccontextmanager
async def live(host: str, token: str | None, language: str = "en") -> AsyncIterator[Live]:
    async with websockets.connect(f"ws://{host}/graphql", subprotocols=[PROTOCOL]) as socket:
        # A browser's WebSocket cannot set headers: the language comes with the token.
        payload = {"Accept-Language": language}
        if token is not None:
            payload["Authorization"] = f"Bearer {token}"
        await socket.send(json.dumps({"type": "connection_init", "payload": payload}))
        yield Live(socket)


async def _report(host: str, token: str, compound: str, title: str) -> str:
    report = {"compound": compound, "channel": "HOTLINE", "category": "OTHER", "title": title}
    async with httpx.AsyncClient(headers=ENGLISH, timeout=30) as client:
        response = await client.post(
            f"http://{host}/graphql",
            json={"query": REPORT, "variables": {"i": report}},
            headers={"Authorization": f"Bearer {token}"},
        )
    issue: str = response.json()["data"]["reportIssue"]["id"]
    return issue


async def _read(host: str, token: str, issue: str) -> dict[str, Any]:
    query = (
        "query ($id: ID!) { node(id: $id) { ... on Issue { id title status reporter { id } } } }"
    )
    async with httpx.AsyncClient(headers=ENGLISH, timeout=30) as client:
        response = await client.post(
            f"http://{host}/graphql",
            json={"query": query, "variables": {"id": issue}},
            headers={"Authorization": f"Bearer {token}"},
        )
    node: dict[str, Any] = response.json()["data"]["node"]
    return node


async def _head(api: Api) -> str:
    last = int(await api.scalar(sa.select(sa.func.coalesce(sa.func.max(col(OutboxEvent.id)), 0))))
    return str(encode_id("Event", last))


async def test_a_subscriber_hears_its_compound_only_and_masked_as_it_may_see(
    committed: Api, server: str
) -> None:
    api = committed
    neighbour = await token_for(api, await resident_id(api, "a", 20))
    async with (
        live(server, api.tokens["resident"]) as reporter,
        live(server, neighbour) as next_door,
        live(server, api.tokens["resident_b"]) as other,
    ):
        for socket in (reporter, next_door, other):
            assert (await socket.next())["type"] == "connection_ack"
            await socket.subscribe("1", {})  # from now on
        await asyncio.sleep(0.5)  # the feeds have started
        issue = await _report(server, api.tokens["resident"], api.ids["compound_a"], "漏水 live")
        mine = await reporter.next()
        assert mine["type"] == "next", mine
        assert mine["payload"]["data"] is not None, mine
        notice = mine["payload"]["data"]["issueEvents"]
        assert (notice["kind"], notice["fromStatus"], notice["toStatus"]) == (
            "ISSUE_REPORTED",
            None,
            "REPORTED",
        )
        assert notice["issue"]["id"] == issue and notice["issue"]["reporter"] is not None
        theirs = (await next_door.next())["payload"]["data"]["issueEvents"]
        # As a query shows it to them: the reporter stays masked for neighbours.
        assert theirs["issue"] == await _read(server, neighbour, issue)
        assert theirs["issue"]["reporter"] is None
        assert await other.quiet(1.0) == []  # compound B hears nothing of compound A


async def test_a_reconnect_resumes_after_the_last_event_seen(committed: Api, server: str) -> None:
    api = committed
    await _report(server, api.tokens["resident"], api.ids["compound_a"], "一")
    after = await _head(api)
    second = await _report(server, api.tokens["resident"], api.ids["compound_a"], "二")
    third = await _report(server, api.tokens["resident"], api.ids["compound_a"], "三")
    async with live(server, api.tokens["resident"]) as socket:
        assert (await socket.next())["type"] == "connection_ack"
        await socket.subscribe("1", {"after": after})
        seen = (await socket.next())["payload"]["data"]["issueEvents"]
        assert seen["issue"]["id"] == second
    async with live(server, api.tokens["resident"]) as socket:
        assert (await socket.next())["type"] == "connection_ack"
        await socket.subscribe("1", {"after": seen["id"]})
        again = (await socket.next())["payload"]["data"]["issueEvents"]
        assert again["issue"]["id"] == third


async def test_without_a_good_token_the_connection_is_refused(server: str) -> None:
    for token in (None, "jl_not-a-real-token"):
        async with live(server, token) as socket:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.next()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_queries_and_mutations_go_over_http(committed: Api, server: str) -> None:
    async with live(server, committed.tokens["resident"]) as socket:
        assert (await socket.next())["type"] == "connection_ack"
        query = {"query": "{ viewer { id } }"}
        await socket.socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
        refused = await socket.next()
        assert refused["type"] == "error"
        assert "Only subscriptions" in refused["payload"][0]["message"]


async def test_a_revoked_or_expired_token_closes_an_idle_feed_with_4401(
    committed: Api, guarded: str
) -> None:
    api = committed
    person = await resident_id(api, "a", 4)
    revoked, expired = await token_for(api, person), await token_for(api, person)
    async with live(guarded, revoked, "zh-CN") as one, live(guarded, expired) as two:
        for socket in (one, two):
            assert (await socket.next())["type"] == "connection_ack"
            await socket.subscribe("1", {"f": {"compound": api.ids["compound_a"]}})
            assert await socket.quiet(0.4) == []  # checked at least once, still open
        async with api.db.write() as session:
            for secret, change in ((revoked, "revoked_at"), (expired, "expires_at")):
                await session.execute(
                    sa.update(ApiToken)
                    .where(col(ApiToken.secret_hash) == hash_secret(secret, api.secret_key))
                    .values({change: utcnow() - timedelta(seconds=1)})
                )
        began = time.monotonic()
        # No event, no poll within the minute: the access check closes them.
        assert await one.closed() == (4401, "此令牌已被吊销。")
        assert await two.closed() == (4401, "This token has expired.")
        assert time.monotonic() - began < 3


async def test_an_ended_position_closes_the_feed_with_4403(committed: Api, guarded: str) -> None:
    api = committed
    person = await resident_id(api, "a", 6)
    committee = await api.scalar(
        sa.select(Position.organisation_id)
        .join(Organisation, col(Organisation.id) == Position.organisation_id)
        .where(
            col(Organisation.compound_id) == api.compound("a"),
            col(Position.title) == PositionTitle.COMMITTEE_MEMBER,
        )
        .limit(1)
    )
    async with api.db.write() as session:
        position = Position(
            person_id=person,
            organisation_id=committee,
            title=PositionTitle.COMMITTEE_MEMBER,
            start_date=clock.today() - timedelta(days=30),
        )
        session.add(position)
        await session.flush()
        position_id = position.id
    token = await token_for(api, person)
    try:
        async with live(guarded, token) as socket:
            assert (await socket.next())["type"] == "connection_ack"
            await socket.subscribe("1", {})
            assert await socket.quiet(0.4) == []
            async with api.db.write() as session:
                await session.execute(
                    sa.update(Position)
                    .where(col(Position.id) == position_id)
                    .values(end_date=clock.today())  # ends today: not held today
                )
            code, reason = await socket.closed()
            assert (code, reason) == (
                4403,
                "Your access changed; reconnect with after = last id seen.",
            )
        # The token itself is good: a new connection signs in with what the person holds now.
        async with live(guarded, token) as again:
            assert (await again.next())["type"] == "connection_ack"
    finally:
        async with api.db.write() as session:
            await session.execute(sa.delete(Position).where(col(Position.id) == position_id))


async def test_a_token_runs_a_bounded_number_of_subscriptions(committed: Api, server: str) -> None:
    # A token no other test of the module subscribes with: the server is the module's.
    token = committed.tokens["committee_member"]
    async with live(server, token) as one, live(server, token, "zh-TW") as two:
        for socket in (one, two):
            assert (await socket.next())["type"] == "connection_ack"
        await one.subscribe("1", {})
        await two.subscribe("1", {})
        assert await one.quiet(0.5) == [] and await two.quiet(0.1) == []
        await two.subscribe("2", {})  # a third, over two connections
        refused = await two.next()
        assert refused["id"] == "2"
        [error] = refused["payload"]["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        # In the language connection_init asked for.
        assert error["message"] == "此令牌已有 2 個訂閱在運行；請先結束一個。"
        assert (await two.next())["type"] == "complete"
        # Ending one frees its place.
        await one.socket.send(json.dumps({"id": "1", "type": "complete"}))
        await asyncio.sleep(0.3)
        await two.subscribe("3", {})
        assert await two.quiet(0.5) == []


async def test_a_client_further_behind_than_the_backlog_limit_is_closed_with_4413(
    committed: Api, database_url: str
) -> None:
    api = committed
    after = await _head(api)
    with serving(database_url, live_max_backlog="2") as host:
        for title in ("一", "二", "三"):
            await _report(host, api.tokens["resident"], api.ids["compound_a"], title)
        async with live(host, api.tokens["resident"]) as socket:
            assert (await socket.next())["type"] == "connection_ack"
            await socket.subscribe("1", {"after": after})  # three events behind, two allowed
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    await socket.next()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4413
    assert "over 2 events undelivered" in closed.value.rcvd.reason
