"""Wake-ups when outbox events commit: a ticket taken before a commit is woken by it, a
wake-up crosses to another process over PostgreSQL NOTIFY or Redis pub/sub (never for a
rolled-back transaction), and a subscriber on one app instance hears promptly of an
event written through another, long before the fallback poll."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis
import sqlalchemy as sa
from redis.exceptions import RedisError

from db.engine import is_sqlite
from db.outbox_signal import OutboxSignal, PostgresSignal, RedisSignal, signal_for
from tests.app.processes import app_env, free_ports, running, uvicorn_command, wait_ready
from tests.db.test_live_subscriptions import _head, _report, live
from tests.helpers import Api

REDIS_URL = os.environ.get("JINLIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def _redis_up() -> bool:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        return False
    finally:
        await client.aclose()


async def _carriers(database_url: str) -> list[str]:
    found = [] if is_sqlite(database_url) else ["postgresql"]
    return [*found, "redis"] if await _redis_up() else found


def _signal(carrier: str, database_url: str) -> OutboxSignal:
    return signal_for(database_url, REDIS_URL if carrier == "redis" else None)


@pytest.fixture
async def pair(
    request: pytest.FixtureRequest, database_url: str
) -> AsyncIterator[tuple[OutboxSignal, OutboxSignal]]:
    carrier: str = request.param
    if carrier not in await _carriers(database_url):
        pytest.skip(f"no {carrier} here")
    writer, listener = _signal(carrier, database_url), _signal(carrier, database_url)
    ticket = listener.ticket()
    await listener.start()
    try:
        # Its first wake-up says it listens.
        assert await ticket.wait(5)
        yield writer, listener
    finally:
        await listener.close()
        await writer.close()


async def test_a_ticket_taken_before_a_commit_is_woken_by_it() -> None:
    signal = OutboxSignal()
    ticket = signal.ticket()
    await signal.committed()  # before the waiter got round to waiting
    assert await ticket.wait(0.1)
    assert not await signal.ticket().wait(0.05)  # a fresh ticket waits for the next


@pytest.mark.parametrize("pair", ["postgresql", "redis"], indirect=True)
async def test_a_commit_wakes_another_process_and_a_rollback_does_not(
    pair: tuple[OutboxSignal, OutboxSignal], committed: Api
) -> None:
    writer, listener = pair
    if isinstance(writer, PostgresSignal):
        ticket = listener.ticket()
        with pytest.raises(RuntimeError):
            async with committed.db.write() as session:
                await writer.in_transaction(session)
                raise RuntimeError("rolled back")
        assert not await ticket.wait(0.5)  # NOTIFY is dropped with its transaction
    ticket = listener.ticket()
    started = time.monotonic()
    async with committed.db.write() as session:
        await writer.in_transaction(session)
        await session.execute(sa.select(1))
    await writer.committed()
    assert await ticket.wait(5)
    assert time.monotonic() - started < 1.0


@pytest.fixture
async def two_apps(
    request: pytest.FixtureRequest, database_url: str
) -> AsyncIterator[tuple[str, str]]:
    carrier: str = request.param
    if carrier not in await _carriers(database_url):
        pytest.skip(f"no {carrier} here")
    one, two = free_ports(2)
    # A fallback poll far longer than the test waits: only a wake-up can deliver in time.
    settings = {"live_poll_seconds": "60"}
    if carrier == "redis":
        settings["redis_url"] = REDIS_URL
    env = app_env(database_url, **settings)
    with running([uvicorn_command(one), uvicorn_command(two)], env):
        await wait_ready(f"http://127.0.0.1:{one}")
        await wait_ready(f"http://127.0.0.1:{two}")
        yield f"127.0.0.1:{one}", f"127.0.0.1:{two}"


@pytest.mark.parametrize("two_apps", ["postgresql", "redis"], indirect=True)
async def test_an_event_written_through_one_app_reaches_a_subscriber_on_another(
    committed: Api, two_apps: tuple[str, str]
) -> None:
    api, (writer, reader) = committed, two_apps
    after = await _head(api)  # so a feed that starts late still delivers the event
    async with live(reader, api.tokens["resident"]) as socket:
        assert (await socket.next())["type"] == "connection_ack"
        await socket.subscribe("1", {"f": {"compound": api.ids["compound_a"]}, "after": after})
        # The feed has read the outbox once and now waits (for up to a minute).
        assert await socket.quiet(0.5) == []
        started = time.monotonic()
        issue = await _report(writer, api.tokens["resident"], api.ids["compound_a"], "隔壁")
        heard = await socket.next(within=5)
        assert heard["payload"]["data"]["issueEvents"]["issue"]["id"] == issue
        assert time.monotonic() - started < 3.0


def test_the_carrier_is_what_the_deployment_has() -> None:
    pg = "postgresql://u@127.0.0.1:5432/x"
    assert isinstance(signal_for(pg, "redis://127.0.0.1:6379/0"), RedisSignal)
    assert isinstance(signal_for(pg, None), PostgresSignal)
    # Behind PgBouncer in transaction mode a LISTEN cannot hold: each process wakes itself.
    assert type(signal_for(pg, None, pgbouncer=True)) is OutboxSignal
    assert type(signal_for("sqlite:///jinlin.db", None)) is OutboxSignal


async def test_a_writer_never_waits_long_on_redis_that_is_down() -> None:
    down = RedisSignal("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        ticket = down.ticket()
        started = time.monotonic()
        await down.committed()  # fails within its timeout, and says so in the log
        await down.committed()  # then skipped for a while: no timeout at all
        assert time.monotonic() - started < 1.5
        assert await ticket.wait(0)  # this process's feeds were woken all the same
    finally:
        await down.close()
