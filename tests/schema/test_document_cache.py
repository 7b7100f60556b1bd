"""A document seen before is neither parsed nor validated again; its cost still follows
the variables of each request."""

from __future__ import annotations

import importlib
from typing import Any

import graphql.language.parser
import pytest

from schema.schema import SchemaLimits, build_schema
from tests.helpers import Api

# graphql.validation.validate names the function; the module is here.
VALIDATION = importlib.import_module("graphql.validation.validate")


class Counted:
    """How often graphql-core parsed and validated, whichever module asked it to."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parses = 0
        self.validations = 0
        counted = self

        class Parser(graphql.language.parser.Parser):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                counted.parses += 1
                super().__init__(*args, **kwargs)

        class ValidationContext(VALIDATION.ValidationContext):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                counted.validations += 1
                super().__init__(*args, **kwargs)

        monkeypatch.setattr(graphql.language.parser, "Parser", Parser)
        monkeypatch.setattr(VALIDATION, "ValidationContext", ValidationContext)


QUERY = "query Page($n: Int) { positions(first: $n) { edges { node { id } } } }"


async def test_a_second_identical_document_is_neither_parsed_nor_validated(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_schema(SchemaLimits())
    counted = Counted(monkeypatch)
    costs = []
    for n in (3, 7):
        ctx = await api.context("secretary")
        try:
            result = await built.execute(QUERY, variable_values={"n": n}, context_value=ctx)
        finally:
            await ctx.close()
        assert not result.errors
        costs.append(result.extensions["cost"]["requested"])  # type: ignore[index]
    assert (counted.parses, counted.validations) == (1, 1)
    assert costs == [3, 7]  # the cost is per request: it follows $n


async def test_invalid_documents_are_cached_too_and_their_errors_stay_intact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = build_schema(SchemaLimits(production=True))
    counted = Counted(monkeypatch)
    messages = []
    for _ in range(3):
        result = await built.execute("{ positons { totalCount } }")
        assert result.errors
        messages.append([(e.message, e.extensions) for e in result.errors])
    assert (counted.parses, counted.validations) == (1, 1)
    assert messages[0] == messages[1] == messages[2]


async def test_schemas_do_not_share_answers(api: Api) -> None:
    deep = "{ me { roles { role } } }"  # two levels deep
    answers = []
    for limits in (SchemaLimits(), SchemaLimits(max_depth=1), SchemaLimits()):
        ctx = await api.context("secretary")
        try:
            answers.append(await build_schema(limits).execute(deep, context_value=ctx))
        finally:
            await ctx.close()
    loose, tight, again = answers
    assert not loose.errors and not again.errors
    assert tight.errors and "depth" in tight.errors[0].message
