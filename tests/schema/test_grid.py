"""The grid level (網格) between a community and its compounds: its shape rules, its member
(GRID_WORKER) who reads what a community officer reads within the grid only, and the
indicators rolled up over it. The demo keeps one grid over compound A; B sits straight
under the community."""

from __future__ import annotations

import sqlalchemy as sa

from db.models import Organisation, OrganisationKind, Position
from demo.sample.city import GRID_NAME
from tests.helpers import Api, gid
from tests.position_helpers import appoint, last_entry, org_ending, position_count, resident

CREATE = """
mutation ($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id kind compound { id } parent { id } }
}
"""
ROLL_UP = """
query ($o: ID!) { indicatorsOfSubtree(organisation: $o) { compoundCount
  compounds { compound { name } } } }
"""
PEOPLE = "query ($c: ID!) { people(filter: {compound: $c}, first: 100) { totalCount } }"
ISSUES = "query ($c: ID!) { issues(filter: {compound: $c}, first: 100) { totalCount } }"
ORG = "query ($id: ID!) { organisation(id: $id) { id name } }"


async def _grid(api: Api) -> int:
    return int(await api.scalar(sa.select(Organisation.id).where(Organisation.name == GRID_NAME)))


async def _parent(api: Api, organisation_id: int) -> tuple[int, OrganisationKind]:
    row = await api.scalar(
        sa.select(Organisation.parent_id).where(Organisation.id == organisation_id)
    )
    kind = await api.scalar(sa.select(Organisation.kind).where(Organisation.id == row))
    return int(row), OrganisationKind(kind)


async def test_the_demo_grid_holds_compound_a_and_b_sits_under_the_community(api: Api) -> None:
    grid = await _grid(api)
    assert await _parent(api, api.compound("a")) == (grid, OrganisationKind.GRID)
    community, kind = await _parent(api, api.compound("b"))
    assert kind is OrganisationKind.COMMUNITY
    assert await _parent(api, grid) == (community, OrganisationKind.COMMUNITY)
    # Compound A is still its own compound: its bodies' compound is A, the grid has none.
    assert (
        await api.scalar(sa.select(Organisation.compound_id).where(Organisation.id == grid)) is None
    )


async def test_admin_makes_a_grid_and_a_compound_in_it(api: Api) -> None:
    community, _ = await _parent(api, await _grid(api))
    made = await api.run(
        CREATE,
        {"input": {"name": "第二網格", "kind": "GRID", "parent": gid("Organisation", community)}},
        as_="admin",
    )
    grid = made.ok()["createOrganisation"]
    assert (grid["kind"], grid["compound"]) == ("GRID", None)
    compound = await api.run(
        CREATE, {"input": {"name": "新小區", "kind": "COMPOUND", "parent": grid["id"]}}, as_="admin"
    )
    row = compound.ok()["createOrganisation"]
    assert row["compound"] == {"id": row["id"]}
    assert row["parent"] == {"id": grid["id"]}


async def test_a_grid_belongs_to_a_community_and_holds_compounds_only(api: Api) -> None:
    grid = gid("Organisation", await _grid(api))
    street = gid("Organisation", (await _parent(api, (await _parent(api, await _grid(api)))[0]))[0])
    for kind, parent in (("GRID", street), ("BUILDING", grid), ("OWNERS_COMMITTEE", grid)):
        result = await api.run(
            CREATE, {"input": {"name": "錯位", "kind": kind, "parent": parent}}, as_="admin"
        )
        assert result.codes == ["BAD_USER_INPUT"], kind


async def test_a_secretary_cannot_make_a_grid_and_nothing_is_written(api: Api) -> None:
    community, _ = await _parent(api, await _grid(api))
    count = await api.scalar(sa.select(sa.func.count()).select_from(Organisation))
    result = await api.run(
        CREATE,
        {"input": {"name": "越權網格", "kind": "GRID", "parent": gid("Organisation", community)}},
        as_="secretary",
    )
    assert result.codes == ["FORBIDDEN"]
    entry = await last_entry(api)
    assert (entry.operation, entry.outcome, entry.changes) == ("createOrganisation", "DENIED", [])
    assert await api.scalar(sa.select(sa.func.count()).select_from(Organisation)) == count


async def test_the_grid_worker_reads_its_grid_and_nothing_beyond(api: Api) -> None:
    a, b = api.ids["compound_a"], api.ids["compound_b"]
    assert (await api.run(ORG, {"id": a}, as_="grid_worker")).ok()["organisation"] is not None
    assert (await api.run(ORG, {"id": b}, as_="grid_worker")).ok()["organisation"] is None
    people_a = await api.run(PEOPLE, {"c": a}, as_="grid_worker")
    assert people_a.ok()["people"]["totalCount"] == 30
    assert (await api.run(PEOPLE, {"c": b}, as_="grid_worker")).ok()["people"]["totalCount"] == 0
    issues_a = (await api.run(ISSUES, {"c": a}, as_="grid_worker")).ok()["issues"]["totalCount"]
    everyone = (await api.run(ISSUES, {"c": a}, as_="supervisor")).ok()["issues"]["totalCount"]
    assert issues_a == everyone > 0
    assert (await api.run(ISSUES, {"c": b}, as_="grid_worker")).ok()["issues"]["totalCount"] == 0


async def test_indicators_roll_up_over_the_grid(api: Api) -> None:
    grid = gid("Organisation", await _grid(api))
    for caller in ("grid_worker", "supervisor", "admin"):
        rolled = (await api.run(ROLL_UP, {"o": grid}, as_=caller)).ok()["indicatorsOfSubtree"]
        assert rolled["compoundCount"] == 1, caller
        assert [c["compound"]["name"] for c in rolled["compounds"]] == ["繼光花苑"]
    community, _ = await _parent(api, await _grid(api))
    whole = await api.run(ROLL_UP, {"o": gid("Organisation", community)}, as_="supervisor")
    # A, B, and the second grid's two small compounds (the demo's joint branch serves them).
    assert whole.ok()["indicatorsOfSubtree"]["compoundCount"] == 4
    # The grid worker's roll-up of the community counts only the grid's compound.
    mine = await api.run(ROLL_UP, {"o": gid("Organisation", community)}, as_="grid_worker")
    assert mine.ok()["indicatorsOfSubtree"]["compoundCount"] == 1


async def test_the_grid_worker_changes_nothing_and_the_attempt_is_audited(api: Api) -> None:
    committee = await org_ending(api, "業主委員會", "a")
    count = await position_count(api)
    result = await appoint(
        api, await resident(api, 13, "a"), committee, "COMMITTEE_MEMBER", "grid_worker"
    )
    assert result.codes == ["FORBIDDEN"]
    entry = await last_entry(api)
    assert (entry.operation, entry.outcome, entry.role, entry.changes) == (
        "appointPosition",
        "DENIED",
        None,
        [],
    )
    assert await position_count(api) == count


async def test_grid_worker_fits_a_grid_only(api: Api) -> None:
    committee = await org_ending(api, "業主委員會", "a")
    result = await appoint(api, await resident(api, 13, "a"), committee, "GRID_WORKER", "admin")
    assert result.codes == ["BAD_USER_INPUT"]
    grid = await _grid(api)
    made = await appoint(api, await resident(api, 13, "a"), grid, "GRID_WORKER", "admin")
    assert made.ok()["appointPosition"]["title"] == "GRID_WORKER"
    assert await api.scalar(sa.select(sa.func.count()).where(Position.organisation_id == grid)) == 2
