"""A joint branch (聯合黨支部): one PARTY_BRANCH of a grid serving the grid's small compounds,
whose secretary acts as branch secretary in each of them and nowhere else."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db import clock
from db.models import Organisation, Position
from demo.sample.city import GRID_NAME
from policies.grants import SECRETARY, load_grants
from tests.deliberation_helpers import schedule, when
from tests.helpers import Api, gid
from tests.lovebank_helpers import token_for
from tests.position_helpers import appoint, last_entry, org_ending, position_count, resident

CREATE = """
mutation ($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id kind compound { id } }
}
"""


async def _create(api: Api, name: str, kind: str, parent: str) -> dict[str, Any]:
    result = await api.run(
        CREATE, {"input": {"name": name, "kind": kind, "parent": parent}}, as_="admin"
    )
    return dict(result.ok()["createOrganisation"])


async def _joint(api: Api) -> dict[str, Any]:
    """A new grid of the demo community with two small compounds, each with a committee, and
    a joint branch of the grid whose secretary is resident a20 of compound A."""
    community = await api.scalar(
        sa.select(Organisation.parent_id).where(Organisation.name == GRID_NAME)
    )
    grid = await _create(api, "聯合網格", "GRID", gid("Organisation", int(community)))
    small = [await _create(api, f"小小區{n}", "COMPOUND", grid["id"]) for n in (1, 2)]
    committees = [
        await _create(api, f"小小區{n}業主委員會", "OWNERS_COMMITTEE", c["id"])
        for n, c in enumerate(small, 1)
    ]
    branch = await _create(api, "聯合黨支部", "PARTY_BRANCH", grid["id"])
    secretary = await resident(api, 20, "a")
    appointed = await api.run(
        "mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }",
        {
            "i": {
                "person": gid("Person", secretary),
                "organisation": branch["id"],
                "title": "SECRETARY",
            }
        },
        as_="admin",
    )
    appointed.ok()
    return {
        "grid": grid,
        "small": small,
        "committees": committees,
        "branch": branch,
        "secretary": secretary,
        "token": await token_for(api, secretary),
    }


async def test_the_joint_secretary_acts_in_each_compound_of_the_grid(api: Api) -> None:
    joint = await _joint(api)
    assert joint["branch"]["compound"] is None
    async with api.db.read_sessions() as session:
        grants = await load_grants(session, joint["secretary"], clock.today())
    grid_path = await api.scalar(
        sa.select(Organisation.path).where(Organisation.name == "聯合網格")
    )
    assert any(g.role == SECRETARY and g.domain == grid_path for g in grants)
    member = await resident(api, 21, "a")
    for committee in joint["committees"]:
        result = await api.run(
            "mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }",
            {
                "i": {
                    "person": gid("Person", member),
                    "organisation": committee["id"],
                    "title": "COMMITTEE_MEMBER",
                }
            },
            as_=joint["token"],
        )
        result.ok()
        entry = await last_entry(api)
        assert (entry.operation, entry.outcome, entry.role) == (
            "appointPosition",
            "SUCCESS",
            "secretary",
        )


async def test_the_joint_secretary_reaches_no_compound_outside_the_grid(api: Api) -> None:
    joint = await _joint(api)
    count = await position_count(api)
    for key in ("a", "b"):
        committee = await org_ending(api, "業主委員會", key)
        result = await appoint(
            api, await resident(api, 22, "a"), committee, "COMMITTEE_MEMBER", joint["token"]
        )
        assert result.codes in (["FORBIDDEN"], ["NOT_FOUND"]), key
        entry = await last_entry(api)
        assert (entry.operation, entry.changes) == ("appointPosition", [])
    assert await position_count(api) == count
    assert (
        await api.scalar(
            sa.select(sa.func.count()).where(Position.person_id == await resident(api, 22, "a"))
        )
        == 0
    )


async def test_one_joint_branch_per_grid(api: Api) -> None:
    joint = await _joint(api)
    result = await api.run(
        CREATE,
        {
            "input": {
                "name": "第二聯合黨支部",
                "kind": "PARTY_BRANCH",
                "parent": joint["grid"]["id"],
            }
        },
        as_="admin",
    )
    assert result.codes == ["CONFLICT"]
    assert "This grid already has a PARTY_BRANCH" in result.errors[0]["message"]


async def test_the_joint_deputy_sits_in_on_the_grids_committees(api: Api) -> None:
    # The joint branch's deputy reads a scheduled owners' committee meeting of a compound in
    # its grid (they sit in, 列席), and no draft of a compound outside the grid.
    joint = await _joint(api)
    appoint_input = """mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }"""
    deputy, member = await resident(api, 23, "a"), await resident(api, 21, "a")
    for person, organisation, title in (
        (deputy, joint["branch"]["id"], "DEPUTY_SECRETARY"),
        (member, joint["committees"][0]["id"], "COMMITTEE_MEMBER"),
    ):
        variables = {"i": {"person": gid("Person", person), "organisation": organisation}}
        variables["i"]["title"] = title
        (await api.run(appoint_input, variables, as_="admin")).ok()
    inside = await schedule_as(api, joint["committees"][0]["id"], await token_for(api, member))
    outside = await schedule(api, "committee", agenda=[], days=3)  # compound A's
    listed = (await api.run(MEETINGS, None, as_=await token_for(api, deputy))).ok()
    ids = {e["node"]["id"] for e in listed["compoundMeetings"]["edges"]}
    assert inside in ids and outside["id"] not in ids


MEETINGS = "{ compoundMeetings(first: 50) { edges { node { id status } } } }"


async def schedule_as(api: Api, committee: str, token: str) -> str:
    result = await api.run(
        """mutation ($i: ScheduleCompoundMeetingInput!) { scheduleCompoundMeeting(input: $i) {
          id } }""",
        {"i": {"body": committee, "title": "業主委員會會議", "scheduledFor": when(3)}},
        as_=token,
    )
    return str(result.ok()["scheduleCompoundMeeting"]["id"])
