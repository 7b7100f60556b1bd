"""Organisations: browsing the tree, and the rules of where an organisation may sit."""

from __future__ import annotations

import sqlalchemy as sa

from db.models import Organisation
from tests.helpers import Api, gid

TREE = """
query ($id: ID!) {
  organisation(id: $id) {
    name kind depth
    parent { name kind }
    ancestors { kind }
    compound { name }
    children(first: 20) { totalCount edges { node { name kind } } }
  }
}
"""

CREATE = """
mutation ($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id name kind depth parent { id } compound { id } }
}
"""


async def test_secretary_browses_the_compound_tree(api: Api) -> None:
    data = (await api.run(TREE, {"id": api.ids["compound_a"]}, as_="secretary")).ok()
    org = data["organisation"]
    assert org["kind"] == "COMPOUND"
    # A sits in its community's grid (網格); B straight under the community.
    assert org["parent"]["kind"] == "GRID"
    assert [a["kind"] for a in org["ancestors"]] == [
        "CITY",
        "DISTRICT",
        "STREET",
        "COMMUNITY",
        "GRID",
    ]
    assert org["compound"]["name"] == org["name"]
    kinds = sorted(e["node"]["kind"] for e in org["children"]["edges"])
    assert kinds == sorted(
        ["BUILDING"] * 3
        + ["PARTY_BRANCH", "OWNERS_COMMITTEE", "SUPERVISORY_BOARD", "VOLUNTEER_TEAM"]
    )
    assert org["children"]["totalCount"] == 7


async def test_resident_sees_the_chain_above_but_not_the_neighbours(api: Api) -> None:
    data = (await api.run(TREE, {"id": api.ids["compound_a"]}, as_="resident")).ok()
    assert data["organisation"]["parent"]["kind"] == "GRID"
    assert len(data["organisation"]["ancestors"]) == 5
    neighbour = (await api.run(TREE, {"id": api.ids["compound_b"]}, as_="resident")).ok()
    assert neighbour["organisation"] is None
    # Under the community, B's resident lists their own compound only (not A's grid).
    siblings = (
        await api.run(
            """query ($id: ID!) { organisation(id: $id) { parent { kind
                 children { edges { node { id } } } } } }""",
            {"id": api.ids["compound_b"]},
            as_="resident_b",
        )
    ).ok()["organisation"]["parent"]
    assert siblings["kind"] == "COMMUNITY"
    assert [e["node"]["id"] for e in siblings["children"]["edges"]] == [api.ids["compound_b"]]


async def test_filters_by_kind_and_name_and_subtree(api: Api) -> None:
    query = """
    query ($f: OrganisationFilter) { organisations(filter: $f, first: 50) {
      totalCount edges { node { name kind } } } }
    """
    buildings = (await api.run(query, {"f": {"kinds": ["BUILDING"]}}, as_="supervisor")).ok()[
        "organisations"
    ]
    assert buildings["totalCount"] == 6
    in_a = (
        await api.run(
            query,
            {"f": {"kinds": ["BUILDING"], "subtree": api.ids["compound_a"]}},
            as_="supervisor",
        )
    ).ok()["organisations"]
    assert in_a["totalCount"] == 3
    named = (await api.run(query, {"f": {"nameContains": "監事會"}}, as_="supervisor")).ok()
    assert {e["node"]["kind"] for e in named["organisations"]["edges"]} == {"SUPERVISORY_BOARD"}


async def test_keyset_pages_walk_every_item_once(api: Api) -> None:
    query = """
    query ($after: String) { organisations(first: 4, after: $after) {
      edges { node { id } } pageInfo { hasNextPage endCursor } } }
    """
    seen: list[str] = []
    after = None
    while True:
        page = (await api.run(query, {"after": after}, as_="admin")).ok()["organisations"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    total = await api.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert len(seen) == len(set(seen)) == total


async def test_admin_creates_a_compound_under_a_community(api: Api) -> None:
    community = await api.scalar(sa.select(Organisation.id).where(Organisation.kind == "COMMUNITY"))
    result = await api.run(
        CREATE,
        {
            "input": {
                "name": " 新建 小區 ",
                "kind": "COMPOUND",
                "parent": gid("Organisation", community),
            }
        },
        as_="admin",
    )
    created = result.ok()["createOrganisation"]
    assert created["name"] == "新建 小區"
    assert created["compound"]["id"] == created["id"]
    assert created["depth"] == 4


async def test_bad_parent_is_refused_with_a_clear_error(api: Api) -> None:
    before = await api.scalar(sa.select(sa.func.count()).select_from(Organisation))
    result = await api.run(
        CREATE,
        {
            "input": {
                "name": "錯放的樓",
                "kind": "BUILDING",
                "parent": api.ids["compound_a"].replace("x", "x"),
            }
        },
        as_="admin",
    )
    assert result.ok()  # a building under a compound is fine
    community = await api.scalar(sa.select(Organisation.id).where(Organisation.kind == "COMMUNITY"))
    bad = await api.run(
        CREATE,
        {
            "input": {
                "name": "錯放的樓",
                "kind": "BUILDING",
                "parent": gid("Organisation", community),
            }
        },
        as_="admin",
    )
    assert bad.codes == ["BAD_USER_INPUT"]
    assert "BUILDING cannot sit under a COMMUNITY" in bad.errors[0]["message"]
    assert "COMPOUND" in bad.errors[0]["message"]
    after = await api.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert after == before + 1


async def test_a_compound_has_one_party_branch(api: Api) -> None:
    result = await api.run(
        CREATE,
        {"input": {"name": "第二支部", "kind": "PARTY_BRANCH", "parent": api.ids["compound_a"]}},
        as_="secretary",
    )
    assert result.codes == ["CONFLICT"]
    assert "already has a PARTY_BRANCH" in result.errors[0]["message"]


async def test_secretary_adds_a_building_but_not_outside_the_compound(api: Api) -> None:
    ok = await api.run(
        CREATE,
        {"input": {"name": "4號樓", "kind": "BUILDING", "parent": api.ids["compound_a"]}},
        as_="secretary",
    )
    assert ok.ok()["createOrganisation"]["kind"] == "BUILDING"
    denied = await api.run(
        CREATE,
        {"input": {"name": "4號樓", "kind": "BUILDING", "parent": api.ids["compound_b"]}},
        as_="secretary",
    )
    # Compound B is invisible to A's secretary: it is not found, and nothing is created.
    assert denied.codes == ["NOT_FOUND"]
    assert denied.data is None
