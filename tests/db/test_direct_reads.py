"""Column reads run by psycopg directly answer exactly what SQLAlchemy's execution does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from db import direct_reads
from db.direct_reads import execute_read, read_columns
from db.engine import Database, create_engine, is_sqlite, is_unavailable
from db.models import ApiToken, AuditEntry, Issue, Organisation, OrganisationKind, Person
from resolvers.issues.queries import clock_now, overdue_clause
from tests.helpers import StatementCounter

# Every kind of value the app's reads return: timestamps (UtcDateTime), dates, enums,
# JSON lists, booleans, NULLs, labels, aggregates, joins and bound parameters.
STATEMENTS: list[tuple[str, sa.Select[Any], dict[str, Any]]] = [
    (
        "issues",
        sa.select(
            col(Issue.id),
            col(Issue.title),
            col(Issue.status),
            col(Issue.priority),
            col(Issue.created_at),
            col(Issue.due_at),
            col(Issue.assignee_organisation_id),
        ).order_by(col(Issue.id)),
        {},
    ),
    (
        "tokens",
        sa.select(
            col(ApiToken.id),
            col(ApiToken.scopes),
            col(ApiToken.expires_at),
            col(ApiToken.revoked_at),
            (col(ApiToken.revoked_at).is_(None)).label("live"),
        ).order_by(col(ApiToken.id)),
        {},
    ),
    (
        "people by kind of organisation",
        sa.select(col(Person.name), col(Organisation.name).label("compound"))
        .join(Organisation, col(Organisation.id) == col(Person.residence_compound_id))
        .where(col(Organisation.kind) == sa.bindparam("kind"))
        .order_by(col(Person.id)),
        {"kind": OrganisationKind.COMPOUND},
    ),
    (
        # The clock as a kept statement reads it: a bind whose value is computed at each run.
        "overdue now",
        sa.select(col(Issue.id), overdue_clause(clock_now()).label("overdue")).order_by(
            col(Issue.id)
        ),
        {},
    ),
    (
        "audit counts",
        sa.select(col(AuditEntry.operation), sa.func.count().label("n"))
        .group_by(col(AuditEntry.operation))
        .order_by(col(AuditEntry.operation)),
        {},
    ),
]


@pytest.fixture
def postgresql_only(database_url: str) -> None:
    if is_sqlite(database_url):
        pytest.skip("direct reads are psycopg's; SQLite reads take SQLAlchemy's path")


@pytest.fixture
def sqlalchemy_path() -> Iterator[None]:
    direct_reads.ENABLED = False
    try:
        yield
    finally:
        direct_reads.ENABLED = True


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.read_sessions() as session:
        yield session


def _rows(result: Any) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    # By repr: an aware datetime equals another of the same instant in any zone, but the
    # app's are in UTC itself (db.types.UtcDateTime), and an enum member is not its value.
    return [(tuple(row._fields), tuple(map(repr, row))) for row in result.all()]


@pytest.mark.parametrize("name", [name for name, _, _ in STATEMENTS])
async def test_a_direct_read_answers_what_sqlalchemy_answers(
    postgresql_only: None, session: AsyncSession, name: str
) -> None:
    _, statement, parameters = next(entry for entry in STATEMENTS if entry[0] == name)
    direct = await read_columns(session, statement, parameters)
    assert direct is not None, "a column read goes to the driver"
    expected = _rows(await session.execute(statement, parameters))
    assert expected, "the demo has rows for every statement"
    assert _rows(direct) == expected
    # Kept: the second run of the same statement object answers the same.
    again = await read_columns(session, statement, parameters)
    assert again is not None and _rows(again) == expected


async def test_entity_reads_and_expanding_parameters_take_sqlalchemys_path(
    postgresql_only: None, session: AsyncSession
) -> None:
    assert await read_columns(session, sa.select(Person).limit(1)) is None
    expanding = sa.select(col(Person.name)).where(
        col(Person.id).in_(sa.bindparam("ids", expanding=True))
    )
    assert await read_columns(session, expanding, {"ids": [1, 2]}) is None
    # execute_read still answers them, SQLAlchemy's way.
    names = (await execute_read(session, expanding, {"ids": [1, 2]})).scalars().all()
    assert len(names) == 2


async def test_sqlite_reads_are_never_direct(database_url: str, session: AsyncSession) -> None:
    if not is_sqlite(database_url):
        pytest.skip("SQLite only")
    assert await read_columns(session, sa.select(col(Person.id)).limit(1)) is None


async def test_every_direct_statement_is_counted(
    postgresql_only: None,
    session: AsyncSession,
    statements: StatementCounter,
) -> None:
    statements.reset()
    for _, statement, parameters in STATEMENTS:
        assert await read_columns(session, statement, parameters) is not None
    assert statements.count == len(STATEMENTS)


async def test_the_switch_turns_direct_reads_off(
    postgresql_only: None, session: AsyncSession, sqlalchemy_path: None
) -> None:
    assert await read_columns(session, STATEMENTS[0][1]) is None


@pytest.fixture
async def own_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def test_a_failing_statement_raises_as_sqlalchemy_would(
    postgresql_only: None, own_engine: AsyncEngine
) -> None:
    sessions = Database.from_engine(own_engine).request_reads
    async with sessions() as session:
        with pytest.raises(sa.exc.DBAPIError) as raised:
            await read_columns(
                session, sa.select(sa.literal(1) / sa.bindparam("zero")), {"zero": 0}
            )
        assert getattr(raised.value.orig, "sqlstate", None) == "22012"  # division_by_zero
        assert not raised.value.connection_invalidated
        assert not is_unavailable(raised.value)
        # The connection is still good for the request's next read.
        result = await read_columns(session, sa.select(sa.literal(2).label("two")))
        assert result is not None and result.scalar_one() == 2


async def test_a_connection_lost_mid_request_is_invalidated_and_reads_as_unavailable(
    postgresql_only: None, own_engine: AsyncEngine
) -> None:
    sessions = Database.from_engine(own_engine).request_reads
    async with sessions() as session:
        backend = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
        async with own_engine.connect() as other:
            await other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        with pytest.raises(sa.exc.DBAPIError) as raised:
            await read_columns(session, sa.select(sa.literal(1).label("one")))
        assert raised.value.connection_invalidated
        assert is_unavailable(raised.value)
    # The pool never lends the dead connection again.
    async with sessions() as session:
        result = await read_columns(session, sa.select(sa.literal(1).label("one")))
        assert result is not None and result.scalar_one() == 1
