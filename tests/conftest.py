"""Test fixtures: one migrated, demo-loaded database per run; one rolled-back transaction per test.

The database comes from JINLIN_DATABASE_URL (CI sets a PostgreSQL one); without it
the suite uses a fresh SQLite file. The schema is made by the Alembic migrations,
as in production, and the demo city is loaded once with real tokens.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from app.cli import seed_demo
from db import migrate
from db.engine import Database, create_engine
from tests.helpers import Api, StatementCounter
from tests.partner_setup import add_expired_and_revoked

SECRET_KEY = "test-secret-key-for-the-suite-only"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = (
        os.environ.get("JINLIN_DATABASE_URL")
        or f"sqlite:///{tmp_path_factory.mktemp('db')}/jinlin.db"
    )
    migrate.reset(url)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def demo(database_url: str) -> dict[str, Any]:
    """The demo city, loaded once (committed), with its tokens and compound ids.

    Beside the demo's tokens: a partner token that has expired and one that was revoked.
    """
    seeded = asyncio.run(seed_demo(database_url, SECRET_KEY))
    seeded["tokens"].update(asyncio.run(add_expired_and_revoked(database_url, seeded, SECRET_KEY)))
    return seeded


@pytest.fixture(scope="session")
async def engine(database_url: str, demo: dict[str, Any]) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    sa.event.listen(engine.sync_engine, "before_cursor_execute", counter.on_execute)
    yield counter
    sa.event.remove(engine.sync_engine, "before_cursor_execute", counter.on_execute)


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[Database]:
    """Sessions on one connection whose transaction is rolled back after the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield Database.from_connection(connection)
        finally:
            await transaction.rollback()


@pytest.fixture
def api(db: Database, demo: dict[str, Any]) -> Api:
    return Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
