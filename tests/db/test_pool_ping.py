"""A pooled PostgreSQL connection is pinged only after sitting idle (db/pool_ping.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import PoolOptions, create_engine, is_sqlite, is_unavailable

BACKEND_PID = sa.text("SELECT pg_backend_pid()")


@pytest.fixture
def postgresql_url(database_url: str) -> str:
    if is_sqlite(database_url):
        pytest.skip("SQLite opens a file: there is no server connection to ping")
    return database_url


async def _one_connection_engine(url: str, idle_seconds: float) -> AsyncEngine:
    return create_engine(
        url, pool=PoolOptions(size=1, max_overflow=0, ping_after_idle_seconds=idle_seconds)
    )


async def _pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(BACKEND_PID)).scalar_one())


async def _kill(url: str, pid: int) -> None:
    other = create_engine(url)
    try:
        async with other.connect() as connection:
            await connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        await other.dispose()


@pytest.fixture
async def pings(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[int]]:
    """How many pings were sent: one entry per ping."""
    sent: list[int] = []
    from sqlalchemy.engine.default import DefaultDialect

    real = DefaultDialect._do_ping_w_event

    def counted(self: DefaultDialect, dbapi_connection: object) -> bool:
        sent.append(1)
        return real(self, dbapi_connection)

    monkeypatch.setattr(DefaultDialect, "_do_ping_w_event", counted)
    yield sent


async def test_a_connection_in_use_a_moment_ago_is_not_pinged(
    postgresql_url: str, pings: list[int]
) -> None:
    engine = await _one_connection_engine(postgresql_url, idle_seconds=60)
    try:
        pids = {await _pid(engine) for _ in range(5)}
        assert len(pids) == 1  # the same connection each time
        assert pings == []  # and never a SELECT 1 before the statement
    finally:
        await engine.dispose()


async def test_an_idle_connection_is_pinged_and_a_dropped_one_replaced_unseen(
    postgresql_url: str, pings: list[int]
) -> None:
    engine = await _one_connection_engine(postgresql_url, idle_seconds=0.05)
    try:
        first = await _pid(engine)
        await _kill(postgresql_url, first)
        await asyncio.sleep(0.1)
        # The ping finds the connection dead; the request gets a new one and never knows.
        second = await _pid(engine)
        assert second != first
        assert pings
    finally:
        await engine.dispose()


async def test_a_dropped_connection_used_within_the_idle_window_fails_one_request_only(
    postgresql_url: str,
) -> None:
    engine = await _one_connection_engine(postgresql_url, idle_seconds=60)
    try:
        first = await _pid(engine)
        await _kill(postgresql_url, first)
        with pytest.raises(sa.exc.DBAPIError) as failed:
            await _pid(engine)
        assert is_unavailable(failed.value)  # answered 503 UNAVAILABLE, not a 500
        # The failure invalidated the pool: the next request reconnects.
        assert await _pid(engine) != first
    finally:
        await engine.dispose()


async def test_ping_zero_pings_before_every_use(postgresql_url: str, pings: list[int]) -> None:
    engine = await _one_connection_engine(postgresql_url, idle_seconds=0)
    try:
        for _ in range(3):
            await _pid(engine)
        assert len(pings) == 2  # every checkout but the first, which opened the connection
    finally:
        await engine.dispose()
