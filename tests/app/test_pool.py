"""Pools you can size: a full pool is answered 503 UNAVAILABLE with Retry-After, in time.

And PostgreSQL's statement timeout, set per connection straight to the server, per
transaction behind PgBouncer (where a session's settings would reach other clients).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from app.factory import create_app
from app.settings import Settings
from db.engine import PoolOptions, create_engine, is_sqlite, is_unavailable
from tests.app.conftest import bearer
from tests.conftest import SECRET_KEY
from tests.helpers import ENGLISH, Api

ME = "{ me { person { name } } }"
POOL_WAIT = 0.5


def test_the_pool_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINLIN_DB_POOL_SIZE", "3")
    monkeypatch.setenv("JINLIN_DB_MAX_OVERFLOW", "0")
    monkeypatch.setenv("JINLIN_DB_POOL_TIMEOUT", "2")
    monkeypatch.setenv("JINLIN_DB_STATEMENT_TIMEOUT", "4")
    monkeypatch.setenv("JINLIN_PGBOUNCER", "1")
    monkeypatch.setenv("JINLIN_DB_PING_AFTER_IDLE", "7")
    assert Settings().pool_options() == PoolOptions(
        size=3,
        max_overflow=0,
        timeout_seconds=2,
        statement_timeout_seconds=4,
        pgbouncer=True,
        ping_after_idle_seconds=7,
    )


def test_a_request_never_waits_for_a_connection_past_its_timeout() -> None:
    options = Settings(request_timeout_seconds=4, db_pool_timeout=30).pool_options()
    assert options.timeout_seconds == 2  # two waits (reads, then a write) fit in the request
    assert options.statement_timeout_seconds == 4  # unset: no statement outlives its request
    assert Settings(db_statement_timeout=0).pool_options().statement_timeout_seconds == 0


@asynccontextmanager
async def _app(database_url: str, **overrides: Any) -> AsyncIterator[tuple[Starlette, Any]]:
    """The real app owning its engine, with a tiny pool."""
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        db_pool_size=2,
        db_max_overflow=0,
        db_pool_timeout=POOL_WAIT,
        request_timeout_seconds=10,
        **overrides,
    )
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            headers=ENGLISH,
            transport=httpx.ASGITransport(app=app),
            base_url="http://jinlin.test",
            timeout=30,
        ) as client,
    ):
        yield app, client


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAVAILABLE"
    assert error["extensions"]["retryAfter"] == 5


async def test_a_full_pool_is_503_unavailable_and_frees_again(database_url: str, api: Api) -> None:
    async with _app(database_url) as (app, client), AsyncExitStack() as held:
        # The pool a request's reads take: on PostgreSQL the read pool of its own.
        engine: AsyncEngine = app.state.reads_engine or app.state.engine
        taken = [await held.enter_async_context(engine.connect()) for _ in range(2)]
        for connection in taken:  # really checked out, not lazily
            await connection.execute(sa.text("SELECT 1"))
        started = time.monotonic()
        answers = await asyncio.gather(
            *(
                client.post("/graphql", json={"query": ME}, headers=bearer(api.tokens["resident"]))
                for _ in range(3)
            )
        )
        waited = time.monotonic() - started
        for answer in answers:
            _assert_unavailable(answer)
        assert waited < POOL_WAIT + 3  # answered after the pool wait, not the request timeout
        await held.aclose()
        again = await client.post(
            "/graphql", json={"query": ME}, headers=bearer(api.tokens["resident"])
        )
        assert again.status_code == 200 and "errors" not in again.json()


async def test_slow_requests_fill_the_pool_and_the_rest_are_told_to_retry(
    database_url: str, engine: AsyncEngine, api: Api
) -> None:
    """Requests stuck behind a lock hold both connections; the others wait POOL_WAIT, get
    503 UNAVAILABLE with Retry-After, and the stuck ones finish once the lock goes."""
    if is_sqlite(database_url):
        pytest.skip("SQLite readers never wait on a lock (WAL)")
    async with _app(database_url) as (_, client), engine.connect() as blocker:
        # Every request authenticates through the access epoch: with it locked, each holds
        # its connection until the lock goes.
        await blocker.execute(sa.text("LOCK TABLE access_epoch IN ACCESS EXCLUSIVE MODE"))

        async def ask() -> httpx.Response:
            return await client.post(
                "/graphql", json={"query": ME}, headers=bearer(api.tokens["resident"])
            )

        requests = [asyncio.ensure_future(ask()) for _ in range(5)]
        await asyncio.sleep(POOL_WAIT + 1.5)
        refused = [r.result() for r in requests if r.done()]
        await blocker.rollback()
        answers = await asyncio.gather(*requests)
    assert len(refused) == 3
    for answer in refused:
        _assert_unavailable(answer)
    served = [a for a in answers if a.status_code == 200]
    assert len(served) == 2 and all("errors" not in a.json() for a in served)


async def _statement_timeout(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        return str((await connection.execute(sa.text("SHOW statement_timeout"))).scalar_one())


@pytest.mark.parametrize("pgbouncer", [False, True])
async def test_the_statement_timeout_stops_a_slow_statement(
    database_url: str, pgbouncer: bool
) -> None:
    if is_sqlite(database_url):
        pytest.skip("SQLite has no statement timeout")
    engine = create_engine(
        database_url, pool=PoolOptions(statement_timeout_seconds=0.2, pgbouncer=pgbouncer)
    )
    try:
        assert await _statement_timeout(engine) == "200ms"
        with pytest.raises(sa.exc.DBAPIError) as cancelled:
            async with engine.connect() as connection:
                await connection.execute(sa.text("SELECT pg_sleep(2)"))
        assert is_unavailable(cancelled.value)  # 503 UNAVAILABLE, retry later
        async with engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            # Behind PgBouncer: no prepared statements, and nothing set for the session.
            assert (raw.prepare_threshold is None) is pgbouncer
            await connection.rollback()
            session_value = (await (await raw.execute("SHOW statement_timeout")).fetchone())[0]
            await raw.rollback()
        assert (session_value == "200ms") is not pgbouncer
    finally:
        await engine.dispose()
