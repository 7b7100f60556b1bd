"""Cross-compound isolation: a resident of B sees nothing of A's people by any path."""

from __future__ import annotations

import sqlalchemy as sa

from db.models import Person, Position
from tests.helpers import Api, gid


async def _a_people(api: Api) -> list[int]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(Person.id).where(Person.residence_compound_id == api.compound("a"))
        )
        return [int(i) for i in rows.scalars().all()]


async def test_list_paths_return_nothing_of_a(api: Api) -> None:
    a_ids = {gid("Person", i) for i in await _a_people(api)}
    queries = [
        ("query { people(first: 100) { edges { node { id } } } }", None, ["people"]),
        (
            "query ($c: ID!) { people(first: 100, filter: {compound: $c}) { edges { node { id } } } }",
            {"c": api.ids["compound_a"]},
            ["people"],
        ),
        (
            "query ($c: ID!) { people(first: 100, filter: {subtree: $c}) { edges { node { id } } } }",
            {"c": api.ids["compound_a"]},
            ["people"],
        ),
        (
            'query { people(first: 100, filter: {nameContains: ""}) { edges { node { id } } } }',
            None,
            ["people"],
        ),
    ]
    for query, variables, path in queries:
        data = (await api.run(query, variables, as_="resident_b")).ok()
        edges = data[path[0]]["edges"]
        assert not a_ids & {e["node"]["id"] for e in edges}, query


async def test_node_and_nodes_hide_a(api: Api) -> None:
    a_ids = [gid("Person", i) for i in await _a_people(api)]
    one = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": a_ids[0]}, as_="resident_b"
    )
    assert one.ok()["node"] is None
    many = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": a_ids[:20]}, as_="resident_b"
    )
    assert many.ok()["nodes"] == [None] * 20
    compound = await api.run(
        "query ($id: ID!) { organisation(id: $id) { id } }",
        {"id": api.ids["compound_a"]},
        as_="resident_b",
    )
    assert compound.ok()["organisation"] is None


async def test_nested_paths_hide_a(api: Api) -> None:
    async with api.db.read_sessions() as session:
        position_ids = (await session.execute(sa.select(Position.id))).scalars().all()
    # Positions of A are not reachable, and so not their holders.
    result = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Position { person { id } } } }",
        {"ids": [gid("Position", i) for i in position_ids[:50]]},
        as_="resident_b",
    )
    a_ids = {gid("Person", i) for i in await _a_people(api)}
    leaked = [
        n for n in result.ok()["nodes"] if n and n.get("person") and n["person"]["id"] in a_ids
    ]
    assert leaked == []
    # From B's own tree, nothing leads into A either.
    walk = """
    query ($id: ID!) { organisation(id: $id) {
      residents(first: 100) { edges { node { id } } }
      parent { residents(first: 100) { edges { node { id } } }
               children(first: 50) { edges { node { id residents(first: 100) { edges { node { id } } } } } } }
      positions(first: 100) { edges { node { person { id } } } }
    } }
    """
    data = (await api.run(walk, {"id": api.ids["compound_b"]}, as_="resident_b")).ok()
    assert not a_ids & set(_all_ids(data))


async def test_filtering_by_party_membership_reveals_nothing_of_a(api: Api) -> None:
    query = "query { people(first: 100, filter: {partyMembership: MEMBER}) { totalCount edges { node { id } } } }"
    data = (await api.run(query, as_="resident_b")).ok()["people"]
    a_ids = {gid("Person", i) for i in await _a_people(api)}
    assert not a_ids & {e["node"]["id"] for e in data["edges"]}


def _all_ids(value: object) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "id"] + [
            i for v in value.values() for i in _all_ids(v)
        ]
    if isinstance(value, list):
        return [i for v in value for i in _all_ids(v)]
    return []
