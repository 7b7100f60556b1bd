"""A document with several operations runs only the one the request names."""

from __future__ import annotations

import sqlalchemy as sa

from schema.schema import schema
from tests.helpers import Api

TWO = """
mutation Create { createOrganisation(input: {name: "ambiguous", kind: CITY}) { id } }
query Me { me { person { name } } }
"""


async def _created(api: Api) -> int:
    return int(
        await api.scalar(sa.text("SELECT count(*) FROM organisation WHERE name = 'ambiguous'"))
    )


async def test_several_operations_without_a_name_are_refused(api: Api) -> None:
    result = await api.run(TWO, as_="admin")
    assert result.data is None
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert "operationName" in result.errors[0]["message"]
    assert await _created(api) == 0


async def test_two_anonymous_operations_are_refused(api: Api) -> None:
    result = await api.run("{ me { person { name } } } { __typename }", as_="secretary")
    assert result.data is None
    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]


async def test_the_named_operation_runs(api: Api) -> None:
    ctx = await api.context("admin")
    try:
        result = await schema.execute(TWO, context_value=ctx, operation_name="Me")
    finally:
        await ctx.close()
    assert not result.errors
    assert result.data is not None and result.data["me"]["person"]["name"]
    assert await _created(api) == 0


async def test_one_operation_needs_no_name(api: Api) -> None:
    assert (await api.run("query Me { me { person { name } } }", as_="secretary")).ok()
