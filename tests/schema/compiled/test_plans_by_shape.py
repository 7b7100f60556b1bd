"""Compiled plans kept per shape of the caller's grants (schema/compiled/plans.py): callers
of one shape share a plan built once, each answered with exactly what the resolvers give
them; callers of different shapes, or whose plan cannot be parameterised, do not share."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from graphql import FieldNode, OperationDefinitionNode, parse

from db.models import Person
from policies.actor_shape import renamed
from resolvers.context import RequestContext
from resolvers.tokens.bearer import issue_token
from schema.compiled.kept import KeptExpression
from schema.compiled.plans import BUILDS, NodePlan, node_plan
from tests.conftest import SECRET_KEY
from tests.factories import issues
from tests.helpers import ORACLE, Api

# Aliased so that no other test has built (and kept) this document's plan.
PAGE = """
query { byShape: issues(first: 20) { totalCount edges { node {
  id title reporter { id name } compound { id name } assignee { id name }
  lastEvent { kind } } } } }
"""


async def _new_resident(api: Api, compound: str) -> str:
    """A token of a new resident of COMPOUND, holding no position."""
    async with api.db.write() as session:
        person = Person(name=f"住戶{compound}", residence_compound_id=api.compound(compound))
        session.add(person)
        await session.flush()
        issued = await issue_token(
            session,
            person_id=person.id or 0,
            name="resident",
            key=SECRET_KEY,
            lifetime=timedelta(days=1),
        )
        return issued.secret


async def _person(api: Api, secret: str) -> int:
    ctx = await api.context(secret)
    try:
        return ctx.require_actor()
    finally:
        await ctx.close()


async def _other_resident(api: Api, compound: int, than: int) -> int:
    async with api.db.read_sessions() as session:
        found = await session.execute(
            sa.select(Person.id).where(Person.residence_compound_id == compound, Person.id != than)
        )
        return int(found.scalars().first() or 0)


async def _issues_of(api: Api, secret: str, compound: str) -> None:
    """Two issues in COMPOUND: one the caller reported (its reporter known to it), one a
    neighbour did (masked)."""
    caller, compound_id = await _person(api, secret), api.compound(compound)
    neighbour = await _other_resident(api, compound_id, caller)
    await issues(
        api.db,
        [
            {"title": f"own {compound}", "compound_id": compound_id, "reporter_id": caller},
            {"title": f"other {compound}", "compound_id": compound_id, "reporter_id": neighbour},
        ],
    )


async def _answered(api: Api, secret: str) -> tuple[dict[str, Any], int]:
    """The page as SECRET's caller gets it (compared with the resolvers' answer by the
    oracle), and the plans built for it."""
    builds, compared = BUILDS.count, ORACLE.compared
    result = await api.run(PAGE, as_=secret)
    assert ORACLE.compared == compared + 1, "not answered by a compiled read"
    return result.ok(), BUILDS.count - builds


async def _shape(api: Api, secret: str) -> object:
    ctx = await api.context(secret)
    try:
        shape = renamed(ctx.actor)
        assert shape is not None
        return shape.shape
    finally:
        await ctx.close()


async def test_residents_of_one_shape_share_a_plan_and_each_reads_their_own(api: Api) -> None:
    first = await _new_resident(api, "a")
    second = await _new_resident(api, "d")
    assert await _shape(api, first) == await _shape(api, second)
    await _issues_of(api, first, "a")
    await _issues_of(api, second, "d")

    mine, built = await _answered(api, first)
    theirs, built_again = await _answered(api, second)

    assert (built, built_again) == (1, 0)
    for data, compound, other in ((mine, "a", "d"), (theirs, "d", "a")):
        titles = {edge["node"]["title"] for edge in data["byShape"]["edges"]}
        # Each caller's own compound's issues, none of the other's.
        assert {f"own {compound}", f"other {compound}"} <= titles
        assert not {f"own {other}", f"other {other}"} & titles
        reporters = {
            edge["node"]["title"]: edge["node"]["reporter"] for edge in data["byShape"]["edges"]
        }
        # Their own report's reporter they know; their neighbour's is masked (null).
        assert reporters[f"own {compound}"] is not None
        assert reporters[f"other {compound}"] is None


async def test_the_masked_note_is_each_callers_own(api: Api) -> None:
    first = await _new_resident(api, "a")
    second = await _new_resident(api, "d")
    await _issues_of(api, second, "d")
    await api.run(PAGE, as_=first)  # the shape's plan, built for the first
    builds = BUILDS.count
    compiled = await api.answered(PAGE, as_=second)
    assert BUILDS.count == builds
    assert compiled.served == ["byShape"]
    assert "Issue.reporter" in str(compiled.result.extensions)


async def test_callers_of_different_shapes_do_not_share(api: Api) -> None:
    # A resident of a compound under a community, and one of a compound right under the
    # street: grant domains of different depths.
    assert await _shape(api, "resident") != await _shape(api, "resident_b")
    await api.run(PAGE, as_="resident")
    _, built = await _answered(api, "resident_b")
    _, built_again = await _answered(api, "resident_b")
    assert (built, built_again) == (1, 0)


def _root() -> FieldNode:
    operation = parse("{ perCaller }").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    field = operation.selection_set.selections[0]
    assert isinstance(field, FieldNode)
    return field


def _spelling_the_person(built: RequestContext) -> NodePlan:
    # The caller's id spelled into the SQL text: no parameter can carry it.
    spelled = sa.literal_column(str(built.require_actor()), sa.Integer)
    return NodePlan([("", KeptExpression(spelled))], [])


async def test_a_plan_that_cannot_be_parameterised_is_kept_per_caller(api: Api) -> None:
    first = await _new_resident(api, "a")
    second = await _new_resident(api, "d")
    assert await _shape(api, first) == await _shape(api, second)
    root = _root()
    answers = []
    for secret in (first, second, first):
        ctx = await api.context(secret)
        try:
            builds = BUILDS.count
            planned = node_plan(ctx, root, (), _spelling_the_person)
            (_, document), *_ = planned.plan.documents
            async with api.db.read_sessions() as session:
                value = (await session.execute(sa.select(document), planned.parameters)).scalar()
            answers.append((value, BUILDS.count - builds, ctx.require_actor()))
        finally:
            await ctx.close()
    # Each caller reads its own id: the first two each built their own plan (a sentinel
    # build refused, then the caller's), and the first caller's was kept for it.
    assert [value for value, _, _ in answers] == [person for _, _, person in answers]
    assert [built for _, built, _ in answers] == [2, 1, 0]
