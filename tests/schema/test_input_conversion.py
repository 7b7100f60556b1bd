"""Input values convert to what strawberry's own conversion makes of them, with each input
type's field types resolved once (schema/input_conversion.py)."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import strawberry
from strawberry.relay import GlobalID
from strawberry.types.base import get_object_definition

from schema.input_conversion import install_kept_input_conversion
from schema.schema import schema as jinlin_schema


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.input
class Inner:
    label: str
    colours: list[Colour] | None = None


@strawberry.input
class Outer:
    name: str | None = None
    owner: GlobalID | None = None
    inner: Inner | None = None
    inners: list[Inner] | None = None
    since: datetime | None = None
    plain: strawberry.ID | None  # no default: None when left out


@strawberry.input
class WithMaybe:
    note: strawberry.Maybe[str]


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, value: Outer) -> str:
        return repr(value)

    @strawberry.field
    def maybe(self, value: WithMaybe) -> str:
        return repr(value)


QUERY = """query ($v: Outer!) { echo(value: $v) }"""
VALUES: list[dict[str, Any]] = [
    {},
    {"name": None, "plain": None},
    {"name": "東苑", "owner": "UGVyc29uOjE=", "since": "2026-12-01T08:00:00+00:00"},
    {"inner": {"label": "a", "colours": ["RED", "BLUE"]}, "inners": [{"label": "b"}]},
    {"inner": {"label": "c", "colours": None}, "inners": [], "plain": "7"},
]


def _answers(built: strawberry.Schema) -> list[Any]:
    answers = []
    for value in VALUES:
        result = built.execute_sync(QUERY, variable_values={"v": value})
        answers.append((result.data, [str(error) for error in result.errors or ()]))
    return answers


@pytest.fixture(autouse=True)
def strawberrys_own_conversion() -> Iterator[None]:
    """This module's input types start (and end) without the hook."""
    definitions = [get_object_definition(cls, strict=True) for cls in (Outer, Inner, WithMaybe)]
    for definition in definitions:
        definition.from_input = None
    yield
    for definition in definitions:
        definition.from_input = None


def test_kept_conversion_answers_as_strawberry_does() -> None:
    strawberrys = _answers(strawberry.Schema(query=Query))
    kept_schema = strawberry.Schema(query=Query)
    install_kept_input_conversion(kept_schema._schema)
    assert get_object_definition(Outer, strict=True).from_input is not None
    assert get_object_definition(Inner, strict=True).from_input is not None
    assert _answers(kept_schema) == strawberrys
    echoed = strawberrys[2][0]["echo"]
    assert "東苑" in echoed and "GlobalID" in echoed
    assert "datetime.datetime(2026, 12, 1, 8, 0" in echoed


def test_an_input_with_a_maybe_field_keeps_strawberrys_conversion() -> None:
    built = strawberry.Schema(query=Query)
    install_kept_input_conversion(built._schema)
    assert get_object_definition(WithMaybe, strict=True).from_input is None
    # strawberry's check of nulls still runs: a Maybe[str] may be left out, not null.
    assert built.execute_sync('{ maybe(value: {note: "x"}) }').errors is None
    refused = built.execute_sync("{ maybe(value: {note: null}) }")
    assert refused.errors and "null" in str(refused.errors[0])


def test_every_input_of_the_schema_without_a_maybe_field_has_it() -> None:
    from graphql import GraphQLInputObjectType

    inputs = [
        type_
        for type_ in jinlin_schema._schema.type_map.values()
        if isinstance(type_, GraphQLInputObjectType)
    ]
    assert inputs
    for type_ in inputs:
        definition = type_.extensions["strawberry-definition"]
        assert definition.from_input is not None, type_.name
