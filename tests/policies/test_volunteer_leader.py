"""The volunteer team leader (志願服務隊隊長): a VOLUNTEER_TEAM_LEADER position in a volunteer team
inside a compound grants the volunteer_leader role over that whole compound, and ends with it."""

from __future__ import annotations

import sqlalchemy as sa

from db import clock
from db.models import Organisation, Position, PositionTitle
from policies.grants import load_grants
from schema.ids import decode_id
from tests.helpers import Api, gid
from tests.issue_helpers import COMMUNITY, ok, org
from tests.lovebank_helpers import TEAM_A, resident, resident_id, token_for


async def _grants(api: Api, person_id: int) -> set[tuple[str, str]]:
    async with api.db.read_sessions() as session:
        return {(g.role, g.domain) for g in await load_grants(session, person_id, clock.today())}


async def _path(api: Api, organisation_id: int) -> str:
    return str(
        await api.scalar(sa.select(Organisation.path).where(Organisation.id == organisation_id))
    )


def _service(api: Api, volunteer: str) -> dict[str, object]:
    return {
        "volunteer": volunteer,
        "compound": api.ids["compound_a"],
        "activity": "樓道清掃",
        "hours": 1,
        "occurredOn": clock.today().isoformat(),
    }


async def test_the_demo_leader_acts_over_the_whole_compound(api: Api) -> None:
    leader = await resident_id(api, "a", 27)
    grants = await _grants(api, leader)
    compound_a = await _path(api, api.compound("a"))
    assert ("volunteer_leader", compound_a) in grants
    assert ("volunteer_leader", await _path(api, api.compound("b"))) not in grants


async def test_ending_the_position_ends_the_role(api: Api) -> None:
    leader = await resident_id(api, "a", 27)
    position = await api.scalar(
        sa.select(Position.id).where(
            Position.person_id == leader, Position.title == PositionTitle.VOLUNTEER_TEAM_LEADER
        )
    )
    token = await token_for(api, leader)
    volunteer = await resident(api, "a", 2)
    mutation = (
        "mutation ($i: RecordVolunteerServiceInput!) { recordVolunteerService(input: $i) { id } }"
    )
    assert not (await api.run(mutation, {"i": _service(api, volunteer)}, as_=token)).errors
    await ok(api, "endPosition", {"id": gid("Position", position)}, as_="secretary", selection="id")
    assert "volunteer_leader" not in {role for role, _ in await _grants(api, leader)}
    refused = await api.run(mutation, {"i": _service(api, volunteer)}, as_=token)
    assert refused.codes == ["FORBIDDEN"]  # still a resident, no longer a leader


async def test_a_community_team_leader_has_no_compound(api: Api) -> None:
    """A team above the compounds grants its leader the role over the team alone."""
    team = await ok(
        api,
        "createOrganisation",
        {
            "name": "濱湖社區志願服務總隊",
            "kind": "VOLUNTEER_TEAM",
            "parent": await org(api, COMMUNITY),
        },
        as_="admin",
        selection="id",
    )
    a13 = await resident_id(api, "a", 13)
    await ok(
        api,
        "appointPosition",
        {
            "person": gid("Person", a13),
            "organisation": team["id"],
            "title": "VOLUNTEER_TEAM_LEADER",
        },
        as_="admin",
        selection="id",
    )
    team_path = await _path(api, decode_id(team["id"], "Organisation"))
    assert ("volunteer_leader", team_path) in await _grants(api, a13)
    mutation = (
        "mutation ($i: RecordVolunteerServiceInput!) { recordVolunteerService(input: $i) { id } }"
    )
    result = await api.run(
        mutation, {"i": _service(api, await resident(api, "a", 2))}, as_=await token_for(api, a13)
    )
    assert result.codes == ["FORBIDDEN"]


async def test_the_title_fits_volunteer_teams_only(api: Api) -> None:
    result = await api.run(
        "mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }",
        {
            "i": {
                "person": await resident(api, "a", 13),
                "organisation": await org(api, "繼光花苑業主委員會"),
                "title": "VOLUNTEER_TEAM_LEADER",
            }
        },
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    team = gid(
        "Organisation",
        int(await api.scalar(sa.select(Organisation.id).where(Organisation.name == TEAM_A))),
    )
    appointed = await api.run(
        "mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }",
        {
            "i": {
                "person": await resident(api, "a", 13),
                "organisation": team,
                "title": "VOLUNTEER_TEAM_LEADER",
            }
        },
        as_="secretary",
    )
    appointed.ok()
