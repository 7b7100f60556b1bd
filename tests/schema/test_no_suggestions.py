"""Production hides the schema: no "Did you mean" for any misspelt name, wherever graphql-core
would suggest one (validation of literals, or coercion of variables at execution)."""

from __future__ import annotations

import pytest

from schema.schema import SchemaLimits, build_schema
from tests.helpers import Api

# Each misspelling draws a suggestion from a different place in graphql-core.
MISSPELT: list[tuple[str, dict[str, object] | None]] = [
    ("{ positons { totalCount } }", None),  # field
    ("query ($f: IssueFiltr) { issues(filter: $f) { totalCount } }", None),  # type
    ("{ issues(frist: 3) { totalCount } }", None),  # argument
    ("{ issues(filter: {compund: null}) { totalCount } }", None),  # input field, literal
    ("{ issues(filter: {status: [REPORTD]}) { totalCount } }", None),  # enum value, literal
    (
        "query ($f: IssueFilter) { issues(filter: $f) { totalCount } }",
        {"f": {"compund": None}},
    ),  # input field, variable
    (
        "query ($f: IssueFilter) { issues(filter: $f) { totalCount } }",
        {"f": {"status": ["REPORTD"]}},
    ),  # enum value, variable
    ("{ issues @skp(if: true) { totalCount } }", None),  # directive
    ("{ issues { ...on IssueConection { totalCount } } }", None),  # type condition
]


async def _messages(
    api: Api, production: bool, query: str, variables: dict[str, object] | None
) -> list[str]:
    built = build_schema(SchemaLimits(production=production))
    ctx = await api.context("secretary")
    try:
        result = await built.execute(query, variable_values=variables, context_value=ctx)
    finally:
        await ctx.close()
    assert result.errors, query
    return [e.message for e in result.errors]


@pytest.mark.parametrize(("query", "variables"), MISSPELT)
async def test_production_suggests_nothing(
    api: Api, query: str, variables: dict[str, object] | None
) -> None:
    messages = await _messages(api, True, query, variables)
    assert not [m for m in messages if "Did you mean" in m], messages


async def test_development_still_suggests(api: Api) -> None:
    suggesting = [q for q in MISSPELT if "@skp" not in q[0]]
    for query, variables in suggesting:
        messages = await _messages(api, False, query, variables)
        assert any("Did you mean" in m for m in messages), (query, messages)
