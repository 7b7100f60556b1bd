"""Which replicas may serve reads: lag measured by WAL position, down or lagging ones skipped,
and the callers' read-your-writes windows (in the process and shared through Redis)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as redis
from sqlalchemy.ext.asyncio import AsyncEngine

from app.logging import configure_logging
from db.engine import create_engine, is_sqlite
from db.recent_writes import RecentWrites
from db.replicas import ReadRouting, ReplicaSet, WalPositions
from tests.app.processes import free_port

REDIS_URL = os.environ.get("JINLIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def json_logs() -> None:
    # As the app does; in the setup phase, so pytest's capture handler is added after it.
    configure_logging("INFO")


def _warnings(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [
        r.msg for r in caplog.records if isinstance(r.msg, dict) and r.msg.get("level") == "warning"
    ]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakePositions:
    """A primary whose WAL moves when told, and replicas that replay when told."""

    def __init__(self) -> None:
        self.wal = 100
        self.at: dict[str, int | None] = {}
        self.down: set[str] = set()

    async def primary(self) -> int:
        return self.wal

    async def replayed_by(self, name: str) -> int | None:
        if name in self.down:
            raise ConnectionRefusedError("connection refused")
        return self.at.get(name, self.wal)

    async def replayed(self, replica: AsyncEngine) -> int | None:
        return await self.replayed_by(replica.url.database or "")


@pytest.fixture
async def engines() -> AsyncIterator[list[AsyncEngine]]:
    # Never connected to: FakePositions answers for them.
    made = [create_engine(f"postgresql://postgres@127.0.0.1:1/{name}") for name in ("a", "b")]
    yield made
    for engine in made:
        await engine.dispose()


def _set(engines: list[AsyncEngine], positions: FakePositions, clock: Clock) -> ReplicaSet:
    return ReplicaSet(engines, positions, max_lag=2.0, check_seconds=1.0, clock=clock)


async def test_current_replicas_serve_in_turn(engines: list[AsyncEngine]) -> None:
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    assert replicas.pick() is None  # nothing measured yet: the primary
    await replicas.check()
    picked = {id(replicas.pick()) for _ in range(4)}
    assert picked == {id(r.sessions) for r in replicas.replicas}
    assert [r.lag for r in replicas.replicas] == [0.0, 0.0]


async def test_a_replica_lagging_past_the_limit_is_skipped_until_it_catches_up(
    engines: list[AsyncEngine], caplog: pytest.LogCaptureFixture
) -> None:
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    await replicas.check()
    positions.at["a"] = 100  # a stops replaying at the WAL's position now
    for _ in range(3):  # the primary writes on; a is 1, 2, then 3 s behind
        clock.now += 1.0
        positions.wal += 50
        await replicas.check()
    a, b = replicas.replicas
    assert a.lag == 3.0 and not a.usable and b.usable
    assert all(replicas.pick() is b.sessions for _ in range(3))
    skipped = _warnings(caplog)
    assert len(skipped) == 1 and skipped[0]["event"].startswith("replica skipped")
    assert skipped[0]["replica"].endswith("/a") and "lag 3.000 s" in skipped[0]["reason"]

    positions.at["a"] = positions.wal  # caught up
    clock.now += 1.0
    await replicas.check()
    assert a.usable and a.lag == 0.0


async def test_a_slow_answer_from_the_primary_counts_against_the_replica(
    engines: list[AsyncEngine],
) -> None:
    """The primary's position holds the commits made before it was asked for, not before
    the answer came: a replica that replayed it is as far behind as the question."""
    clock = Clock()

    class Slow(FakePositions):
        async def primary(self) -> int:
            clock.now += 1.5
            return self.wal

    replicas = _set(engines, Slow(), clock)
    await replicas.check()
    assert [r.lag for r in replicas.replicas] == [1.5, 1.5]


async def test_a_replica_behind_every_remembered_position_is_skipped(
    engines: list[AsyncEngine],
) -> None:
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    positions.at["a"] = 50  # behind the first position this process ever saw
    await replicas.check()
    assert not replicas.replicas[0].usable and replicas.replicas[0].lag is None


async def test_a_replica_that_is_down_is_skipped_and_comes_back(
    engines: list[AsyncEngine], caplog: pytest.LogCaptureFixture
) -> None:
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    positions.down = {"a", "b"}
    await replicas.check()
    assert replicas.pick() is None  # both down: the primary
    warnings = _warnings(caplog)
    assert len(warnings) == 2 and all("unreachable" in e["reason"] for e in warnings)
    positions.down = set()
    clock.now += 1.0
    await replicas.check()
    assert replicas.pick() is not None


async def test_a_measurement_gone_stale_stops_the_replica_being_used(
    engines: list[AsyncEngine],
) -> None:
    """Were checks to stop (a hung one), an old measurement says nothing about now."""
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    await replicas.check()
    clock.now += replicas.stale_after + 0.1
    assert replicas.pick() is None


async def test_reads_ask_for_a_check_when_the_last_is_old(engines: list[AsyncEngine]) -> None:
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    assert replicas.pick() is None  # first read: starts a check in the background
    assert replicas._checking is not None
    await replicas._checking
    assert replicas.pick() is not None
    first = replicas._checking
    replicas.pick()
    assert replicas._checking is first  # within check_seconds: no new check
    await replicas.dispose()


async def test_wal_positions_of_the_primary_and_a_server_that_is_not_a_standby(
    database_url: str, engine: AsyncEngine
) -> None:
    if is_sqlite(database_url):
        pytest.skip("WAL positions are PostgreSQL's")
    positions = WalPositions(engine)
    first = await positions.primary()
    assert first > 0 and await positions.primary() >= first
    # The primary is not in recovery: as a replica it is taken as current.
    assert await positions.replayed(engine) is None


async def test_an_unreachable_replica_is_judged_down_through_its_engine(
    database_url: str, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    if is_sqlite(database_url):
        pytest.skip("WAL positions are PostgreSQL's")
    down = create_engine(f"postgresql://postgres:secret@127.0.0.1:{free_port()}/x")
    replicas = ReplicaSet([down], WalPositions(engine), max_lag=2.0, check_seconds=1.0)
    try:
        await replicas.check()
        assert replicas.pick() is None
        (warning,) = _warnings(caplog)
        assert "secret" not in warning["replica"] and "***" in warning["replica"]
    finally:
        await replicas.dispose()


@pytest.mark.parametrize("shared", [False, True])
async def test_a_write_moves_its_caller_alone_for_the_window(shared: bool) -> None:
    clock = Clock()
    prefix = f"jinlin:test:{uuid.uuid4().hex}:"
    here = RecentWrites(2.0, REDIS_URL if shared else None, prefix=prefix, clock=clock)
    other_process = RecentWrites(2.0, REDIS_URL if shared else None, prefix=prefix, clock=clock)
    try:
        await here.mark("person:1")
        assert await here.recent("person:1")
        assert not await here.recent("person:2")
        assert await other_process.recent("person:1") is shared
        clock.now += 2.5  # the process's window is over; Redis keeps its key 2 s of real time
        assert await here.recent("person:1") is shared
    finally:
        await here.close()
        await other_process.close()


async def test_the_shared_window_expires_in_redis() -> None:
    prefix = f"jinlin:test:{uuid.uuid4().hex}:"
    writes = RecentWrites(0.2, REDIS_URL, prefix=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        await writes.mark("token:7")
        ttl = await client.pttl(prefix + "token:7")
        assert 0 < ttl <= 200
    finally:
        await client.delete(prefix + "token:7")
        await client.aclose()
        await writes.close()


async def test_with_redis_down_the_process_still_reads_its_own_writes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    writes = RecentWrites(5.0, f"redis://127.0.0.1:{free_port()}/0")
    try:
        await writes.mark("person:1")
        assert await writes.recent("person:1")
        assert not await writes.recent("person:2")
        warnings = _warnings(caplog)
        assert len(warnings) == 1 and "within this process" in warnings[0]["event"]
    finally:
        await writes.close()


async def test_routing_sends_a_recent_writer_to_the_primary(engines: list[AsyncEngine]) -> None:
    clock, positions = Clock(), FakePositions()
    replicas = _set(engines, positions, clock)
    await replicas.check()
    routing = ReadRouting(replicas, RecentWrites(5.0, clock=clock))
    await routing.recent.mark("person:1")
    assert await routing.sessions_for("person:1") is None
    assert await routing.sessions_for("person:2") is not None
    assert await routing.sessions_for(None) is not None
