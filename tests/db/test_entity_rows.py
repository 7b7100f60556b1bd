"""Reads of a model's rows as column rows answer every field its entities answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Result, Row
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from db.direct_reads import execute_read, read_columns
from db.engine import Database, is_sqlite
from db.entity_rows import as_columns, as_model, read_whole
from db.models import AuditEntry, Issue, IssueEvent, Organisation, OrganisationKind, Person
from db.models.enums import IssueStatus
from resolvers.common import ROW_IDS, by_ids_statement
from resolvers.keyset_union import merged_statements


def _models() -> list[type[SQLModel]]:
    return sorted(
        (mapper.class_ for mapper in SQLModel._sa_registry.mappers),  # type: ignore[attr-defined]
        key=lambda model: model.__name__,
    )


@pytest.mark.parametrize("model", _models(), ids=lambda model: model.__name__)
def test_every_model_is_its_columns(model: type[SQLModel]) -> None:
    """A row of the table's columns stands for an entity only while the model holds nothing
    else: no field off the table, no method or property, no column a Row names otherwise."""
    table: Any = model.__table__  # type: ignore[attr-defined]
    columns = {column.key for column in table.columns}
    assert columns == set(model.model_fields)
    own = {name for name in vars(model) if not name.startswith("_")}
    assert own - columns == {"model_config"}
    assert not columns & set(dir(Row))


@pytest.fixture
async def session(demo: dict[str, Any], db: Database) -> AsyncIterator[AsyncSession]:
    async with db.read_sessions() as session:
        yield session


def _fields(model: type[SQLModel], rows: list[Any]) -> list[dict[str, Any]]:
    return [{name: getattr(row, name) for name in model.model_fields} for row in rows]


def _branches() -> list[sa.ColumnElement[bool]]:
    return [col(Issue.status) == IssueStatus.REPORTED, col(Issue.assignee_organisation_id) > 0]


STATEMENTS: list[tuple[str, type[SQLModel], sa.Select[Any]]] = [
    ("issues", Issue, sa.select(Issue).order_by(col(Issue.id))),
    (
        "people of compounds, joined",
        Person,
        sa.select(Person)
        .join(Organisation, col(Organisation.id) == col(Person.residence_compound_id))
        .where(col(Organisation.kind) == OrganisationKind.COMPOUND)
        .order_by(col(Person.id)),
    ),
    ("events", IssueEvent, sa.select(IssueEvent).order_by(col(IssueEvent.id).desc()).limit(7)),
    (
        # A page merged from scope branches (resolvers/keyset_union.py): the model joined
        # to a UNION of keys.
        "merged page",
        Issue,
        merged_statements(
            sa.select(Issue), [col(Issue.id)], lambda key: key, None, _branches(), 20
        )[0],
    ),
]


@pytest.mark.parametrize("name", [name for name, _, _ in STATEMENTS])
async def test_rows_answer_what_entities_answer(session: AsyncSession, name: str) -> None:
    _, model, statement = next(entry for entry in STATEMENTS if entry[0] == name)

    async def read(statement: Any, parameters: Any) -> Result[Any]:
        return await session.execute(statement, parameters)

    entities = list((await session.execute(statement)).scalars().all())
    assert entities, "the demo has rows for every statement"
    rows = await read_whole(read, statement)
    assert not any(isinstance(row, model) for row in rows), "no entity is built"
    assert _fields(model, rows) == _fields(model, entities)
    assert as_columns(statement) is as_columns(statement), "kept per statement"


async def test_other_statements_read_as_scalars(session: AsyncSession) -> None:
    async def read(statement: Any, parameters: Any) -> Result[Any]:
        return await session.execute(statement, parameters)

    ids = sa.select(col(Issue.id)).order_by(col(Issue.id))
    assert as_columns(ids) is None
    assert await read_whole(read, ids) == list((await session.execute(ids)).scalars().all())


async def test_a_row_as_its_model_dumps_as_the_entity(session: AsyncSession) -> None:
    statement = sa.select(AuditEntry).order_by(col(AuditEntry.seq)).limit(5)
    entities = list((await session.execute(statement)).scalars().all())
    columns = as_columns(statement)
    assert columns is not None
    rows = list((await session.execute(columns)).all())
    dumped = [as_model(AuditEntry, row).model_dump(mode="json") for row in rows]
    assert dumped == [entity.model_dump(mode="json") for entity in entities]
    assert as_model(AuditEntry, entities[0]) is entities[0]


@pytest.mark.parametrize("ids", [[], [1], [1, 2, 3, 10**6]])
async def test_a_loaders_rows_by_ids_are_those_ids_rows(
    database_url: str, session: AsyncSession, ids: list[int]
) -> None:
    dialect = "sqlite" if is_sqlite(database_url) else "postgresql"
    statement = by_ids_statement(Person, sa.true(), dialect)

    async def read(statement: Any, parameters: Any) -> Result[Any]:
        return await execute_read(session, statement, parameters)

    rows = await read_whole(read, statement, {ROW_IDS: ids})
    expected = (await session.execute(sa.select(Person).where(col(Person.id).in_(ids)))).scalars()
    assert sorted(_fields(Person, rows), key=str) == sorted(
        _fields(Person, list(expected)), key=str
    )
    if dialect == "postgresql":
        # One array parameter: the read goes straight to the driver, whatever the count.
        columns = as_columns(statement)
        assert columns is not None
        assert await read_columns(session, columns, {ROW_IDS: ids}) is not None
