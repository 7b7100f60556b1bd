"""Test fixtures: one migrated, demo-loaded database per run; one rolled-back transaction per test.

The service's clock runs with the machine's unless JINLIN_TEST_CLOCK names a moment
(JINLIN_TEST_CLOCK=2026-12-31T23:59:59+08:00): then the whole run has it stopped there.

The database comes from JINLIN_DATABASE_URL (CI sets a PostgreSQL one); without it
the suite uses a fresh SQLite file. The schema is made by the Alembic migrations,
as in production, and the demo city is loaded once with real tokens.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql import Executable
from sqlmodel import col

from app.cli import seed_demo
from app.settings import get_settings
from db import clock, migrate
from db.engine import Database, create_engine
from db.entity_rows import model_of
from db.models import Issue, IssueEvent, Mobilisation, MobilisationRecipient, OutboxEvent
from resolvers.context import RequestContext
from tests.helpers import ORACLE, Api, StatementCounter, pool_options
from tests.partner_setup import add_expired_and_revoked

# The stand-in read replica's fixture (replica_url), for the tests in tests/db and tests/app.
pytest_plugins = ["tests.replica_setup"]

SECRET_KEY = "test-secret-key-for-the-suite-only"
# The audit keys of the whole run, app processes started by tests included (they inherit
# the environment), so every writer chains with the key every verifier uses.
AUDIT_KEY = "test-audit-chain-key-for-the-suite-only"
AUDIT_SIGNING_KEY = "dGVzdC1hdWRpdC1zaWduaW5nLWtleS0zMi1ieXRlcyE="
# An aware ISO 8601 moment: when set, the service's clock stands still there all run.
TEST_CLOCK = "JINLIN_TEST_CLOCK"


def pytest_configure(config: pytest.Config) -> None:
    # Before collection, so dates the test modules compute at import agree with the app's.
    at = os.environ.get(TEST_CLOCK)
    if at:
        clock.install(clock.FrozenClock(datetime.fromisoformat(at)))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, deselect the tests that never touch the suite's database.

    CI runs the suite twice, on SQLite and on PostgreSQL; a test that asks for no
    `database_url` (directly or through a fixture: `api`, `db`, `engine`, `demo`...) runs
    the same code both times, so it runs once, in the SQLite run. A test that reaches the
    suite's database must do so through `database_url`, never by reading
    JINLIN_DATABASE_URL itself, or it would be deselected here.
    """
    if not _suite_is_postgresql():
        return
    kept = [item for item in items if "database_url" in item.fixturenames]
    once = [item for item in items if "database_url" not in item.fixturenames]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = kept


def _suite_is_postgresql() -> bool:
    return os.environ.get("JINLIN_DATABASE_URL", "").startswith("postgresql")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(
        f"oracle: {ORACLE.compared} queries answered by compiled reads matched the resolvers"
    )


def pytest_report_header(config: pytest.Config) -> str | None:
    at = os.environ.get(TEST_CLOCK)
    return f"clock: stopped at {at} ({TEST_CLOCK})" if at else None


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """The service's clock stopped at the current moment for one test; move it with advance."""
    with clock.frozen() as stopped:
        yield stopped


@pytest.fixture(scope="session", autouse=True)
def suite_environment() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JINLIN_AUDIT_KEY", AUDIT_KEY)
        patch.setenv("JINLIN_AUDIT_SIGNING_KEY", AUDIT_SIGNING_KEY)
        # The apps and processes tests start leave the sweeps to the tests of the sweeps:
        # one closing the demo's calls or sweeping uploads under another test would race it.
        patch.setenv("JINLIN_SWEEPS_IN_SERVE", "false")
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = (
        os.environ.get("JINLIN_DATABASE_URL")
        or f"sqlite:///{tmp_path_factory.mktemp('db')}/jinlin.db"
    )
    # Behind PgBouncer (JINLIN_PGBOUNCER=1) the schema is made straight on the database, as
    # a deployment runs its migrations (README, "Deployment"): JINLIN_TEST_DIRECT_DATABASE_URL.
    direct = os.environ.get("JINLIN_TEST_DIRECT_DATABASE_URL") or url
    migrate.reset(direct)
    migrate.upgrade(direct)
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
    engine = create_engine(database_url, pool=pool_options())
    yield engine
    await engine.dispose()


@pytest.fixture
def statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    sa.event.listen(engine.sync_engine, "before_cursor_execute", counter.on_execute)
    ORACLE.enabled = False  # its second run would add statements of its own
    try:
        yield counter
    finally:
        ORACLE.enabled = True
        sa.event.remove(engine.sync_engine, "before_cursor_execute", counter.on_execute)


@pytest.fixture
def whole_model_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The models that requests' reads select whole (an ORM entity per row) during a test:
    reads select their columns as rows instead (db/entity_rows.py)."""
    found: list[str] = []
    read = RequestContext.read

    async def recording(
        self: RequestContext, statement: Executable, parameters: Any = None
    ) -> Result[Any]:
        model = model_of(statement) if isinstance(statement, sa.Select) else None
        if model is not None:
            found.append(model.__name__)
        return await read(self, statement, parameters)

    monkeypatch.setattr(RequestContext, "read", recording)
    return found


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


@pytest.fixture
async def committed(engine: AsyncEngine, demo: dict[str, Any]) -> AsyncIterator[Api]:
    """An Api over the real engine: every request its own connections, every write committed.
    Issues reported and mobilisations sent through it, and the outbox events written
    meanwhile, are deleted afterwards (a call left open would pass its deadline under a later
    test's clock)."""
    db = Database.from_engine(engine)
    api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
    async with db.read_sessions() as session:
        before = (await session.execute(sa.select(sa.func.max(Issue.id)))).scalar() or 0
        events = (await session.execute(sa.select(sa.func.max(OutboxEvent.id)))).scalar() or 0
        calls = (await session.execute(sa.select(sa.func.max(Mobilisation.id)))).scalar() or 0
    try:
        yield api
    finally:
        async with db.write() as session:
            ours = sa.select(Issue.id).where(Issue.id > before)
            await session.execute(sa.delete(IssueEvent).where(IssueEvent.issue_id.in_(ours)))  # type: ignore[attr-defined]
            await session.execute(sa.delete(Issue).where(Issue.id > before))
            await session.execute(sa.delete(OutboxEvent).where(col(OutboxEvent.id) > events))
            await session.execute(
                sa.delete(MobilisationRecipient).where(
                    col(MobilisationRecipient.mobilisation_id) > calls
                )
            )
            await session.execute(sa.delete(Mobilisation).where(col(Mobilisation.id) > calls))
