"""Sentinel values made caller parameters (schema/compiled/caller_parameters.py), and the
expressions refused because a sentinel would be left in them."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlmodel import col

from db.models import Organisation, Person
from db.paths import subtree_clause
from db.value_lists import in_values
from policies.actor_shape import sentinel
from schema.compiled.caller_parameters import parameterised

DIALECTS = [postgresql.dialect(), sqlite.dialect()]
PERSON, COMPOUND, STREET = sentinel(0), sentinel(1), sentinel(2)
REAL = {PERSON: 64, COMPOUND: 10, STREET: 3}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_ids_paths_and_range_ends_become_parameters(dialect: Dialect) -> None:
    expressions: list[sa.ColumnElement[Any]] = [
        sa.case((col(Person.id) == PERSON, sa.literal("own")), else_=sa.literal("other")),
        subtree_clause(col(Organisation.path), f"/{STREET}/{COMPOUND}/"),
        in_values(col(Organisation.id), [STREET, COMPOUND]),
    ]
    done = parameterised(expressions, dialect)
    assert done is not None
    values = {parameter.name: parameter.value(REAL) for parameter in done.parameters}
    assert sorted(values.values(), key=str) == sorted([64, "/3/10/", "/3/10" + "0", 3, 10], key=str)
    compiled = sa.select(*done.expressions).compile(dialect=dialect)
    assert set(values) <= set(compiled.binds)
    assert str(PERSON) not in compiled.string


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_sentinel_spelled_into_the_sql_is_refused(dialect: Dialect) -> None:
    spelled = sa.literal_column(str(PERSON), sa.Integer) == col(Person.id)
    assert parameterised([spelled], dialect) is None


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_sentinel_in_a_value_not_rewritten_is_refused(dialect: Dialect) -> None:
    held = sa.literal({"person": PERSON}, sa.JSON) == col(Person.id)
    assert parameterised([held], dialect) is None


def test_expressions_without_sentinels_are_left_as_they_are() -> None:
    plain = col(Person.id) == 5
    done = parameterised([plain], sqlite.dialect())
    assert done is not None and done.parameters == ()


async def test_a_parameter_without_its_value_is_not_run(db: Any) -> None:
    done = parameterised([sa.literal(PERSON, sa.Integer)], sqlite.dialect())
    assert done is not None
    async with db.read_sessions() as session:
        with pytest.raises(sa.exc.StatementError):
            await session.execute(sa.select(*done.expressions))
