"""Requests' reads go to a replica; a caller who wrote reads the primary for its window.

The replica is tests/replica_setup.py's stand-in: names read there end with MARK.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import Database, create_engine
from db.recent_writes import RecentWrites
from db.replicas import ReadRouting, ReplicaSet, WalPositions
from tests.conftest import SECRET_KEY
from tests.db.test_replicas import REDIS_URL, Clock
from tests.helpers import ORACLE, Api, StatementCounter
from tests.issue_helpers import report
from tests.replica_setup import MARK

ME = "{ me { person { name } } }"
WINDOW = 5.0


@dataclass
class Routed:
    api: Api
    replicas: ReplicaSet
    clock: Clock

    async def name(self, as_: str) -> str:
        name: str = (await self.api.run(ME, as_=as_)).ok()["me"]["person"]["name"]
        return name


@pytest.fixture
async def replica_engine(replica_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(replica_url)
    yield engine
    await engine.dispose()


async def _routed(
    engine: AsyncEngine,
    replica: AsyncEngine | list[AsyncEngine],
    demo: dict[str, Any],
    recent: RecentWrites,
    clock: Clock,
) -> Routed:
    # Checks only when the test asks (check_seconds far off), so nothing races it.
    replicas = ReplicaSet(
        replica if isinstance(replica, list) else [replica],
        WalPositions(engine),
        max_lag=2.0,
        check_seconds=3600,
    )
    await replicas.check()
    db = Database.from_engine(engine, ReadRouting(replicas, recent))
    api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
    return Routed(api, replicas, clock)


@pytest.fixture
async def routed(
    committed: Api, engine: AsyncEngine, replica_engine: AsyncEngine, demo: dict[str, Any]
) -> Routed:
    """Over the real primary (writes committed, issues removed afterwards) and the replica."""
    clock = Clock()
    return await _routed(engine, replica_engine, demo, RecentWrites(WINDOW, clock=clock), clock)


async def test_reads_go_to_the_replica(routed: Routed) -> None:
    assert (await routed.name("resident")).endswith(MARK)
    ctx = await routed.api.context("secretary")
    try:
        database = (await ctx.read(sa.select(sa.func.current_database()))).scalar_one()
    finally:
        await ctx.close()
    assert database.endswith("_replica")


async def test_a_caller_reads_its_writes_from_the_primary_for_the_window(routed: Routed) -> None:
    assert (await routed.name("resident")).endswith(MARK)
    assert (await routed.name("secretary")).endswith(MARK)
    # The issue exists on the primary only: the payload is read there, in the same request.
    issue = await report(routed.api, as_="resident")
    assert issue["title"]
    assert not (await routed.name("resident")).endswith(MARK)  # the writer: the primary
    assert (await routed.name("secretary")).endswith(MARK)  # everyone else: the replica
    routed.clock.now += WINDOW + 0.1
    assert (await routed.name("resident")).endswith(MARK)  # the window is over


async def test_a_refused_mutation_counts_as_a_write(routed: Routed) -> None:
    """A refusal writes the caller's audit entry, theirs to read."""
    result = await routed.api.run(
        'mutation { reportIssue(input: {compound: "Organisation:999999", channel: PHOTO_REPORT,'
        ' category: PARKING, title: "x"}) { id } }',
        as_="resident",
    )
    assert [e["extensions"]["code"] for e in result.errors] == ["BAD_USER_INPUT"]
    assert not (await routed.name("resident")).endswith(MARK)


async def test_another_process_sends_the_writer_to_the_primary_through_redis(
    committed: Api, engine: AsyncEngine, replica_engine: AsyncEngine, demo: dict[str, Any]
) -> None:
    prefix = f"jinlin:test:{id(engine)}:{demo['ids']['compound_a']}:"
    clock = Clock()
    one = RecentWrites(WINDOW, REDIS_URL, prefix=prefix, clock=clock)
    two = RecentWrites(WINDOW, REDIS_URL, prefix=prefix, clock=clock)
    try:
        first = await _routed(engine, replica_engine, demo, one, clock)
        second = await _routed(engine, replica_engine, demo, two, clock)
        assert (await second.name("resident")).endswith(MARK)
        await report(first.api, as_="resident")
        assert not (await second.name("resident")).endswith(MARK)
        assert (await second.name("secretary")).endswith(MARK)
    finally:
        await one.close()
        await two.close()


async def test_a_replica_that_is_down_leaves_reads_on_the_primary(
    engine: AsyncEngine, demo: dict[str, Any], replica_url: str
) -> None:
    down = create_engine(make_url(replica_url).set(port=1).render_as_string(hide_password=False))
    clock = Clock()
    try:
        routed = await _routed(engine, down, demo, RecentWrites(WINDOW, clock=clock), clock)
        assert routed.replicas.pick() is None
        assert not (await routed.name("resident")).endswith(MARK)
    finally:
        await down.dispose()


async def test_reading_from_the_replica_adds_no_statement(
    routed: Routed, engine: AsyncEngine, replica_engine: AsyncEngine, demo: dict[str, Any]
) -> None:
    """The replica answers every statement the primary would have but the token's, which is
    always read on the primary (a revoked token counts at once); nothing is read twice."""
    plain = Api(
        db=Database.from_engine(engine),
        tokens=demo["tokens"],
        ids=demo["ids"],
        secret_key=SECRET_KEY,
    )
    await plain.sign_in("resident")
    await routed.api.sign_in("resident")
    on_primary, on_replica = StatementCounter(), StatementCounter()
    sa.event.listen(engine.sync_engine, "before_cursor_execute", on_primary.on_execute)
    sa.event.listen(replica_engine.sync_engine, "before_cursor_execute", on_replica.on_execute)
    ORACLE.enabled = False  # one request each: its second run would be another
    try:
        await plain.run(ME, as_="resident")
        without = on_primary.count
        on_primary.reset()
        await routed.api.run(ME, as_="resident")
    finally:
        ORACLE.enabled = True
        sa.event.remove(engine.sync_engine, "before_cursor_execute", on_primary.on_execute)
        sa.event.remove(replica_engine.sync_engine, "before_cursor_execute", on_replica.on_execute)
    assert without > 1
    assert on_primary.count == 1
    assert "api_token" in on_primary.sql[0]
    assert on_replica.count == without - 1


async def test_a_request_reads_from_one_replica_throughout(
    engine: AsyncEngine, replica_engine: AsyncEngine, replica_url: str, demo: dict[str, Any]
) -> None:
    """Signing in does not move a request's reads to the next replica in turn."""
    other = create_engine(replica_url)
    clock = Clock()
    counters = StatementCounter(), StatementCounter()
    pair = [replica_engine, other]
    # One request each time: the oracle's second run (me.person is compiled) is another
    # request, which the replicas take in turn.
    ORACLE.enabled = False
    try:
        routed = await _routed(engine, pair, demo, RecentWrites(WINDOW, clock=clock), clock)
        for replica, counter in zip(pair, counters, strict=True):
            sa.event.listen(replica.sync_engine, "before_cursor_execute", counter.on_execute)
        for _ in range(2):
            for counter in counters:
                counter.reset()
            assert (await routed.name("resident")).endswith(MARK)
            assert sorted(c.count for c in counters)[0] == 0
            assert sum(c.count for c in counters) >= 1  # the query (the token: the primary)
    finally:
        ORACLE.enabled = True
        for replica, counter in zip(pair, counters, strict=True):
            sa.event.remove(replica.sync_engine, "before_cursor_execute", counter.on_execute)
        await other.dispose()


class _Current:
    """Positions that find every replica current, whether or not it answers."""

    async def primary(self) -> int:
        return 0

    async def replayed(self, replica: AsyncEngine) -> int | None:
        return None


async def test_a_replica_gone_since_its_check_sends_the_request_to_the_primary(
    engine: AsyncEngine, demo: dict[str, Any], replica_url: str
) -> None:
    """The request that finds it gone is answered from the primary, and it is skipped from
    then on, without waiting for the next check."""
    gone = create_engine(make_url(replica_url).set(port=1).render_as_string(hide_password=False))
    replicas = ReplicaSet([gone], _Current(), max_lag=2.0, check_seconds=3600)
    try:
        await replicas.check()
        assert replicas.states()[0]["status"] == "in use"  # as last measured
        db = Database.from_engine(engine, ReadRouting(replicas, RecentWrites(WINDOW)))
        api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
        name = (await api.run(ME, as_="resident")).ok()["me"]["person"]["name"]
        assert name and not name.endswith(MARK)  # from the primary
        assert replicas.states()[0]["status"] == "skipped"
        assert replicas.pick() is None
    finally:
        await gone.dispose()
