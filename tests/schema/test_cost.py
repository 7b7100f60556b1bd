"""Query cost: estimated before execution, refused above the maximum, reported on every answer."""

from __future__ import annotations

import pytest
from graphql import ExecutionResult, parse

from schema.cost import estimate_cost
from schema.schema import SchemaLimits, build_schema, schema
from tests.helpers import Api


def cost(query: str, variables: dict[str, object] | None = None) -> int:
    return estimate_cost(schema._schema, parse(query), variables, None)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ me { roles { role } } }", 1 + 10),
        ("{ positions(first: 5) { edges { node { id } } } }", 5),
        ("{ positions { edges { node { id } } } }", 20),
        (
            "{ positions(first: 100) { edges { node { person { name } organisation { name } } } } }",
            100 + 100 + 100,
        ),
        (
            "{ organisations(first: 10) { edges { node { children(first: 10) { totalCount } } } } }",
            10 + 100,
        ),
        ('{ nodes(ids: ["a", "b", "c"]) { id } }', 3),
        ("query ($n: Int) { people(first: $n) { totalCount } }", 7),
        ("{ __typename me { __typename } }", 1),
        (
            "{ positions(first: 2) { ...P } } fragment P on PositionConnection { edges { node { person { name } } } }",
            2 + 2,
        ),
    ],
)
def test_estimates(query: str, expected: int) -> None:
    assert cost(query, {"n": 7}) == expected


def test_page_sizes_above_the_maximum_count_as_the_maximum() -> None:
    assert cost("{ positions(first: 5000) { totalCount } }") == 100


async def test_every_response_reports_its_cost(api: Api) -> None:
    result = await api.run("{ positions(first: 3) { edges { node { id } } } }", as_="secretary")
    result.ok()
    assert result.extensions["cost"] == {"requested": 3, "maximum": 10_000}


async def test_a_query_above_the_maximum_is_refused_before_it_runs(api: Api) -> None:
    query = """{ organisations(first: 100) { edges { node {
        children(first: 100) { edges { node { residents(first: 100) { totalCount } } } } } } } }"""
    result = await api.run(query, as_="secretary")
    assert result.codes == ["QUERY_TOO_COSTLY"]
    assert result.data is None
    assert "limit is 10000" in result.errors[0]["message"]
    assert result.errors[0]["extensions"]["cost"] > 10_000


async def test_a_tighter_limit_is_configurable(api: Api) -> None:
    tight = build_schema(SchemaLimits(max_cost=50))
    ctx = await api.context("secretary")
    try:
        result = await tight.execute("{ positions(first: 60) { totalCount } }", context_value=ctx)
    finally:
        await ctx.close()
    assert result.errors and result.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"


async def test_a_literal_of_thousands_of_digits_is_a_validation_error(api: Api) -> None:
    # The cost is estimated before validation, on whatever the document holds.
    query = "{ positions(first: " + "9" * 5000 + ") { totalCount } }"
    assert cost(query) == 100
    result = await api.run(query, as_="secretary")
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("subscription { issueEvents { id issue { id } } }", 1 + 1),
        ("subscription { myNotifications { id issue { id } token { id } } }", 1 + 1 + 1),
        (
            "subscription { myNotifications { meeting { participants { id } } issue { timeline(first: 50) { edges { node { id } } } } } }",
            1 + 1 + 10 + 1 + 50,
        ),
    ],
)
def test_subscriptions_cost_what_each_event_may_return(query: str, expected: int) -> None:
    assert cost(query) == expected


async def test_a_subscription_above_the_maximum_is_refused_before_it_runs() -> None:
    tight = build_schema(SchemaLimits(max_cost=20))
    query = "subscription { myNotifications { issue { timeline(first: 50) { edges { node { id } } } } } }"
    stream = await tight.subscribe(query, context_value=None)
    assert not isinstance(stream, ExecutionResult)
    first = await anext(stream)
    assert first.errors is not None
    assert first.errors[0].extensions is not None
    assert first.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
