"""Sentinel values made caller parameters (schema/compiled/caller_parameters.py), and the
expressions refused because a sentinel, or a value derived from one, would be left in them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlmodel import col

from db.models import Issue, Organisation, Person
from db.paths import subtree_clause
from db.value_lists import in_values
from policies.actor_shape import TWIN, sentinel
from resolvers.issues.queries import clock_now
from schema.compiled.caller_parameters import Parameterised, parameterised

DIALECTS = [postgresql.dialect(), sqlite.dialect()]
# The ids of a caller: a person, its compound and the street above it.
REAL = {sentinel(0): 64, sentinel(1): 10, sentinel(2): 3}
FROM_TWIN = {key + TWIN: key for key in REAL}

Expressions = Callable[[int, int, int], list[sa.ColumnElement[Any]]]


def _parameterised(expressions: Expressions, dialect: Dialect) -> Parameterised | None:
    """EXPRESSIONS built for the sentinel actor and for its twin, parameterised."""
    first = expressions(sentinel(0), sentinel(1), sentinel(2))
    twin = expressions(sentinel(TWIN), sentinel(TWIN + 1), sentinel(TWIN + 2))
    return parameterised(first, twin, FROM_TWIN, dialect)


def _scopes(person: int, compound: int, street: int) -> list[sa.ColumnElement[Any]]:
    return [
        sa.case((col(Person.id) == person, sa.literal("own")), else_=sa.literal("other")),
        subtree_clause(col(Organisation.path), f"/{street}/{compound}/"),
        in_values(col(Organisation.id), [street, compound]),
    ]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_ids_paths_and_range_ends_become_parameters(dialect: Dialect) -> None:
    done = _parameterised(_scopes, dialect)
    assert done is not None
    values = {parameter.name: parameter.value(REAL) for parameter in done.parameters}
    # The subtree's range end is its path with the last "/" made "0" (db/paths.py).
    assert sorted(values.values(), key=str) == sorted([64, "/3/10/", "/3/100", 3, 10], key=str)
    compiled = sa.select(*done.expressions).compile(dialect=dialect)
    assert set(values) <= set(compiled.binds)
    assert str(sentinel(0)) not in compiled.string


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_sentinel_spelled_into_the_sql_is_refused(dialect: Dialect) -> None:
    def spelled(person: int, compound: int, street: int) -> list[sa.ColumnElement[Any]]:
        return [sa.literal_column(str(person), sa.Integer) == col(Person.id)]

    assert _parameterised(spelled, dialect) is None


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_sentinel_in_a_value_not_rewritten_is_refused(dialect: Dialect) -> None:
    def held(person: int, compound: int, street: int) -> list[sa.ColumnElement[Any]]:
        return [sa.literal({"person": person}, sa.JSON) == col(Person.id)]

    assert _parameterised(held, dialect) is None


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_value_derived_from_an_id_is_refused(dialect: Dialect) -> None:
    # An encoded id holds no sentinel, but the twin's is another.
    def encoded(person: int, compound: int, street: int) -> list[sa.ColumnElement[Any]]:
        global_id = base64.b64encode(f"Person:{person}".encode()).decode()
        return [sa.literal(global_id) == col(Person.name)]

    assert _parameterised(encoded, dialect) is None


def test_expressions_without_sentinels_are_left_as_they_are() -> None:
    done = _parameterised(lambda *_: [col(Person.id) == 5], sqlite.dialect())
    assert done is not None and done.parameters == ()


async def test_a_parameter_without_its_value_is_not_run(db: Any) -> None:
    done = _parameterised(
        lambda person, *_: [sa.literal(person, sa.Integer).label("p")], sqlite.dialect()
    )
    assert done is not None
    async with db.read_sessions() as session:
        with pytest.raises(sa.exc.StatementError):
            await session.execute(sa.select(*done.expressions))
        values = {parameter.name: parameter.value(REAL) for parameter in done.parameters}
        found = await session.execute(sa.select(*done.expressions), values)
        assert found.scalar() == 64


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_clock_read_at_each_run_is_shared(dialect: Dialect) -> None:
    # Its value differs from one build to the next; the function it is read from does not.
    def overdue(person: int, compound: int, street: int) -> list[sa.ColumnElement[Any]]:
        return [sa.and_(col(Issue.due_at) < clock_now(), col(Issue.reporter_id) == person)]

    done = _parameterised(overdue, dialect)
    assert done is not None
    assert [parameter.value(REAL) for parameter in done.parameters] == [64]
