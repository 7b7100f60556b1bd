"""Production mode: the schema is not shown to strangers."""

from __future__ import annotations

from schema.schema import SchemaLimits, build_schema
from tests.helpers import Api

INTROSPECTION = "{ __schema { types { name } } }"


async def _run(api: Api, production: bool, query: str) -> dict[str, object]:
    built = build_schema(SchemaLimits(production=production))
    ctx = await api.context("secretary")
    try:
        result = await built.execute(query, context_value=ctx)
    finally:
        await ctx.close()
    return {"data": result.data, "errors": [e.formatted for e in result.errors or []]}


async def test_introspection_is_off_in_production(api: Api) -> None:
    assert (await _run(api, False, INTROSPECTION))["data"]
    refused = await _run(api, True, INTROSPECTION)
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"  # type: ignore[index]


async def test_field_suggestions_are_off_in_production(api: Api) -> None:
    development = await _run(api, False, "{ positons { totalCount } }")
    assert "Did you mean" in development["errors"][0]["message"]  # type: ignore[index]
    production = await _run(api, True, "{ positons { totalCount } }")
    assert "Did you mean" not in production["errors"][0]["message"]  # type: ignore[index]
