"""Against a real PostgreSQL streaming replica (.ci/pg-replica): reads run on the standby, a
caller reads its own write at once though the standby has not replayed it, a standby behind
the primary or stopped is skipped and /readyz says so.

Run only where JINLIN_TEST_REPLICA_URL names a hot standby of the JINLIN_DATABASE_URL
database (`pytest -m replica`; CI's .ci/pg-replica starts one and sets it);
JINLIN_TEST_REPLICA_CONTROL, the script's path, lets a test stop and start it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.factory import create_app
from app.settings import Settings
from db.engine import Database, PoolOptions, create_engine
from db.recent_writes import RecentWrites
from db.replicas import ReadRouting, ReplicaSet, WalPositions
from tests.app.conftest import bearer
from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH, Api
from tests.issue_helpers import report

REPLICA_URL = os.environ.get("JINLIN_TEST_REPLICA_URL", "")
CONTROL = os.environ.get("JINLIN_TEST_REPLICA_CONTROL", "")

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        not REPLICA_URL, reason="JINLIN_TEST_REPLICA_URL is not set (.ci/pg-replica sets it)"
    ),
]

ISSUE = "query ($id: ID!) { node(id: $id) { ... on Issue { title } } }"
ME = "{ me { person { name } } }"
WHERE = sa.select(sa.func.pg_is_in_recovery(), sa.func.inet_server_port())
PRIMARY_LSN = sa.text("SELECT pg_current_wal_lsn()")
REPLAYED = sa.text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)")


async def _within(seconds: float, done: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + seconds
    while not await done():
        assert time.monotonic() < deadline, f"not within {seconds:g} s: {what}"
        await asyncio.sleep(0.05)


async def _scalar(engine: AsyncEngine, statement: sa.Executable, **params: Any) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(statement, params)).scalar_one()


async def caught_up(primary: AsyncEngine, standby: AsyncEngine) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    lsn = str(await _scalar(primary, PRIMARY_LSN))
    await _within(10, lambda: _scalar(standby, REPLAYED, lsn=lsn), f"the standby replays {lsn}")


async def _run(engine: AsyncEngine, sql: str) -> None:
    async with engine.connect() as connection:
        await connection.execute(sa.text(sql))
        await connection.commit()


async def pause(primary: AsyncEngine, standby: AsyncEngine) -> None:
    """Stop the standby's replay, and wait until it has stopped: a pause is only asked for
    until replay next looks, so the primary writes a little WAL for it to look at."""
    await _run(standby, "SELECT pg_wal_replay_pause()")

    async def paused() -> bool:
        state = await _scalar(standby, sa.text("SELECT pg_get_wal_replay_pause_state()"))
        if state != "paused":
            await _run(primary, "SELECT txid_current()")
        return bool(state == "paused")

    await _within(10, paused, "the standby's replay pauses")


async def resume(standby: AsyncEngine) -> None:
    await _run(standby, "SELECT pg_wal_replay_resume()")


@pytest.fixture
async def standby(engine: AsyncEngine, database_url: str) -> AsyncIterator[AsyncEngine]:
    """The replica, caught up with the primary (the demo's seeding included)."""
    assert make_url(REPLICA_URL).database == make_url(database_url).database
    # Pinged at every checkout, as the app's replica engines are: a test stops and starts
    # the standby, and the connection this fixture used before that is gone after it.
    replica = create_engine(REPLICA_URL, pool=PoolOptions(ping_after_idle_seconds=0))
    try:
        async with replica.connect() as connection:
            in_recovery, _ = (await connection.execute(WHERE)).one()
        assert in_recovery, f"{REPLICA_URL} is not a standby (pg_is_in_recovery() is false)"
        await caught_up(engine, replica)
        yield replica
    finally:
        await resume(replica)  # whatever a test left
        await replica.dispose()


async def in_use(replicas: ReplicaSet) -> None:
    """Measure until the standby is fit: other databases' writes move the primary's WAL on,
    so the first measurement can find it a moment behind the only position it knows."""

    async def fit() -> bool:
        await replicas.check()
        return replicas.states()[0]["status"] == "in use"

    await _within(10, fit, "the standby is in use")


@pytest.fixture
async def routed(
    committed: Api, engine: AsyncEngine, standby: AsyncEngine, demo: dict[str, Any]
) -> Api:
    """The suite's Api reading from the standby (checked when a test says so), writing to the
    primary (committed; issues removed afterwards)."""
    replicas = ReplicaSet([standby], WalPositions(engine), max_lag=2.0, check_seconds=3600)
    await in_use(replicas)
    db = Database.from_engine(engine, ReadRouting(replicas, RecentWrites(5.0)))
    return Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)


async def test_reads_run_on_the_standby(routed: Api, standby: AsyncEngine) -> None:
    ctx = await routed.context("secretary")
    try:
        in_recovery, port = (await ctx.read(WHERE)).one()
    finally:
        await ctx.close()
    assert in_recovery and port == make_url(REPLICA_URL).port
    me = (await routed.run(ME, as_="resident")).ok()["me"]["person"]["name"]
    assert me  # the demo city, as streamed from the primary


async def test_a_writer_reads_its_write_before_the_standby_has_replayed_it(
    routed: Api, engine: AsyncEngine, standby: AsyncEngine
) -> None:
    await pause(engine, standby)
    issue = await report(routed, as_="resident")
    seen_by = {}
    for who in ("resident", "secretary"):
        result = await routed.run(ISSUE, {"id": issue["id"]}, as_=who)
        seen_by[who] = result.ok()["node"]
    # The writer reads the primary: its issue is there. Anyone else reads the standby, which
    # has not replayed it: this is what read-your-writes is for.
    assert seen_by == {"resident": {"title": issue["title"]}, "secretary": None}

    await resume(standby)
    await caught_up(engine, standby)
    seen = (await routed.run(ISSUE, {"id": issue["id"]}, as_="secretary")).ok()["node"]
    assert seen == {"title": issue["title"]}  # streamed to the standby


async def test_a_standby_falling_behind_is_skipped_until_it_catches_up(
    committed: Api, engine: AsyncEngine, standby: AsyncEngine
) -> None:
    """Lag measured as the app does, by WAL position, against a standby whose replay stops."""
    max_lag = 0.4
    replicas = ReplicaSet([standby], WalPositions(engine), max_lag=max_lag, check_seconds=0.1)
    await in_use(replicas)
    await pause(engine, standby)
    await report(committed, as_="resident")  # the primary writes on

    async def skipped() -> bool:
        await replicas.check()
        return replicas.states()[0]["status"] == "skipped"

    await _within(max_lag + 2, skipped, "the standby is skipped")
    assert replicas.pick() is None
    await resume(standby)
    await in_use(replicas)
    assert replicas.pick() is not None


def _control(action: str) -> None:
    subprocess.run([CONTROL, action], check=True, capture_output=True, timeout=60)  # noqa: S603


@pytest.mark.skipif(
    bool(REPLICA_URL) and not CONTROL, reason="JINLIN_TEST_REPLICA_CONTROL is not set"
)
async def test_a_stopped_standby_is_skipped_and_readyz_says_so(
    database_url: str, standby: AsyncEngine, demo: dict[str, Any]
) -> None:
    """The first read after the standby stops finds it gone, is answered from the primary,
    and leaves it skipped: no request fails waiting for the next check (5 s off here)."""
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        database_replica_urls=[REPLICA_URL],
        replica_check_seconds=5,
        read_your_writes_seconds=12,
    )
    app = create_app(settings)
    replicas: ReplicaSet = app.state.database.routing.replicas
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            headers=ENGLISH, transport=httpx.ASGITransport(app=app), base_url="http://jinlin.test"
        ) as client,
    ):

        async def name() -> str:
            response = await client.post(
                "/graphql", json={"query": ME}, headers=bearer(demo["tokens"]["resident"])
            )
            assert response.status_code == 200, response.text
            value: str = response.json()["data"]["me"]["person"]["name"]
            return value

        await in_use(replicas)
        assert (await client.get("/readyz")).json()["replicas"][0]["status"] == "in use"
        expected = await name()
        _control("stop")
        try:
            assert await name() == expected  # the standby is gone: read from the primary
            ready = await client.get("/readyz")
            assert ready.status_code == 200 and ready.json()["status"] == "degraded"
            assert ready.json()["replicas"][0]["status"] == "skipped"
            assert replicas.pick() is None
        finally:
            _control("start")
        await in_use(replicas)
        ready = await client.get("/readyz")
        assert ready.json()["status"] == "ok"
        assert ready.json()["replicas"][0]["status"] == "in use"
