"""Neighbourhood red stations through GraphQL with real tokens: opening them, their duty
roster, who may see and change them, and the wall between compounds A and B."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db import clock
from db.models import Organisation, Station, StationDuty
from schema.ids import decode_id
from tests.helpers import Api, FromToday, StatementCounter, gid, resolved
from tests.issue_helpers import COMMITTEE_A, entries_since, last_seq, ok, org, person_id
from tests.lovebank_helpers import (
    DUTY,
    STATION,
    STATION_A,
    STATION_B,
    TEAM_A,
    refused,
    resident,
    station,
    station_id,
)

STATIONS = """
query ($f: StationFilter) { stations(filter: $f, first: 50) { totalCount
  edges { node { id name functions compound { id } } } } }
"""
ROSTER = """
query ($id: ID!, $from: Date, $to: Date) { node(id: $id) { ... on Station {
  dutyRoster(from: $from, to: $to) { date startsAt endsAt role duty { id } person { id } } } } }
"""


def next_week() -> date:
    return clock.today() + timedelta(days=7)


def _open(api: Api, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "compound": api.ids["compound_a"],
        "name": name,
        "functions": ["READING", "FITNESS", "READING"],
        **fields,
    }


def _duty(station_gid: str, person_gid: str, **fields: Any) -> dict[str, Any]:
    return {
        "station": station_gid,
        "person": person_gid,
        "weekday": 2,
        "startsAt": "18:00",
        "endsAt": "20:00",
        **fields,
    }


# --- opening a station --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "admin"])
async def test_the_secretary_or_an_admin_opens_a_station(api: Api, who: str) -> None:
    seq = await last_seq(api)
    opened = await ok(
        api,
        "openStation",
        _open(api, "3號樓書屋", address=" 3號樓一層 "),
        as_=who,
        selection=STATION,
    )
    assert opened["name"] == "3號樓書屋"
    assert opened["address"] == "3號樓一層"
    assert opened["functions"] == ["READING", "FITNESS"]  # deduplicated, in the enum's order
    assert opened["compound"]["id"] == api.ids["compound_a"]
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.resource_type) == (
        "openStation",
        "SUCCESS",
        "station",
    )
    assert {"field": "functions", "before": None, "after": ["READING", "FITNESS"]} in entry.changes


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("resident_b", "NOT_FOUND"),  # compound A is not theirs to see
    ],
)
async def test_others_may_not_open_a_station(api: Api, who: str, code: str) -> None:
    await refused(api, "openStation", _open(api, "不該有的驛站"), who, code)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": STATION_A}, "already has a station named"),
        ({"name": "   "}, "must not be empty"),
        ({"functions": []}, "at least one function"),
        ({"address": "長" * 201}, "at most 200"),
    ],
)
async def test_bad_station_input_is_refused(api: Api, change: dict[str, Any], message: str) -> None:
    code = "CONFLICT" if "already" in message else "BAD_USER_INPUT"
    result = await refused(
        api, "openStation", {**_open(api, "新驛站"), **change}, "secretary", code
    )
    assert message in result.errors[0]["message"]


async def test_a_station_belongs_to_a_compound(api: Api) -> None:
    result = await refused(
        api,
        "openStation",
        {**_open(api, "委員會驛站"), "compound": await org(api, COMMITTEE_A)},
        "secretary",
        "BAD_USER_INPUT",
    )
    assert "Expected a compound" in result.errors[0]["message"]


# --- finding stations ---------------------------------------------------------------------


async def test_each_demo_compound_has_a_station_seen_only_inside(api: Api) -> None:
    seen = {}
    for who in ("resident", "resident_b", "supervisor", "property_firm"):
        data = (await api.run(STATIONS, {}, as_=who)).ok()["stations"]
        seen[who] = {e["node"]["name"] for e in data["edges"]}
    assert STATION_A in seen["resident"] and STATION_B not in seen["resident"]
    assert STATION_B in seen["resident_b"] and STATION_A not in seen["resident_b"]
    assert {STATION_A, STATION_B} <= seen["supervisor"]
    assert seen["property_firm"] == {STATION_A}  # the firm serves A only


async def test_filters_by_compound_and_function(api: Api) -> None:
    await ok(
        api,
        "openStation",
        _open(api, "健身驛站", functions=["FITNESS"]),
        as_="secretary",
        selection="id",
    )
    by_function = (await api.run(STATIONS, {"f": {"function": "FITNESS"}}, as_="admin")).ok()
    names = {e["node"]["name"] for e in by_function["stations"]["edges"]}
    assert {"健身驛站", STATION_B} <= names and STATION_A not in names
    in_a = (
        await api.run(
            STATIONS, {"f": {"compound": api.ids["compound_a"], "function": "READING"}}, as_="admin"
        )
    ).ok()["stations"]
    assert {e["node"]["name"] for e in in_a["edges"]} == {STATION_A}
    # A resident of B asking for A's stations gets nothing.
    none = (
        await api.run(STATIONS, {"f": {"compound": api.ids["compound_a"]}}, as_="resident_b")
    ).ok()
    assert none["stations"]["totalCount"] == 0


async def test_organisation_stations_for_a_compound_and_above(api: Api) -> None:
    # A sits in a grid (網格) of the community: its community is an ancestor, not its parent.
    query = """query ($id: ID!) { organisation(id: $id) { stations { edges { node { name } } }
      ancestors { kind stations { totalCount } } } }"""

    def community_count(data: dict[str, Any]) -> int:
        above = data["organisation"]["ancestors"]
        return int(next(a for a in above if a["kind"] == "COMMUNITY")["stations"]["totalCount"])

    data = (await api.run(query, {"id": api.ids["compound_a"]}, as_="supervisor")).ok()
    assert [e["node"]["name"] for e in data["organisation"]["stations"]["edges"]] == [STATION_A]
    assert community_count(data) == 2  # the community's
    resident = (await api.run(query, {"id": api.ids["compound_a"]}, as_="resident")).ok()
    assert community_count(resident) == 1  # only A's


async def test_node_of_a_station_in_b_is_null_for_a(api: Api) -> None:
    query = "query ($id: ID!) { node(id: $id) { ... on Station { name } } }"
    b_station = await station(api, STATION_B)
    assert (await api.run(query, {"id": b_station}, as_="resident")).ok()["node"] is None
    assert (await api.run(query, {"id": b_station}, as_="resident_b")).ok()["node"] == {
        "name": STATION_B
    }


# --- the duty roster ----------------------------------------------------------------------


async def test_the_demo_roster_of_a_week(api: Api) -> None:
    start = clock.today()
    result = await api.run(
        ROSTER, {"id": await station(api), "from": start.isoformat()}, as_="resident"
    )
    shifts = result.ok()["node"]["dutyRoster"]
    # A has a weekly slot every day of the week, and a one-off evening in three days.
    days = [s["date"] for s in shifts]
    assert days == sorted(days)
    assert {date.fromisoformat(d) for d in days} == {start + timedelta(days=n) for n in range(7)}
    evening = [s for s in shifts if s["startsAt"] == "19:00"]
    assert [s["date"] for s in evening] == [(start + timedelta(days=3)).isoformat()]
    assert all(s["duty"]["id"] for s in shifts)


async def test_functions_rosters_and_duties_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    listed = (await api.run(STATIONS, {"f": None}, as_="resident")).ok()["stations"]["edges"]
    assert listed and all(edge["node"]["functions"] for edge in listed)
    roster = await api.run(ROSTER, {"id": await station(api)}, as_="resident")
    shifts = roster.ok()["node"]["dutyRoster"]
    assert shifts
    duty = shifts[0]["duty"]["id"]
    query = "query ($id: ID!) { node(id: $id) { ... on StationDuty { id startsAt } } }"
    node = (await api.run(query, {"id": duty}, as_="resident")).ok()["node"]
    assert node == {"id": duty, "startsAt": shifts[0]["startsAt"]}
    assert whole_model_reads == []


async def test_the_secretary_sets_weekly_and_dated_duties(api: Api) -> None:
    station_gid = await station(api)
    volunteer = await resident(api, "a", 14)
    weekly = await ok(
        api, "setStationDuty", _duty(station_gid, volunteer), as_="secretary", selection=DUTY
    )
    assert (weekly["weekday"], weekly["date"], weekly["startsAt"], weekly["endsAt"]) == (
        2,
        None,
        "18:00",
        "20:00",
    )
    assert weekly["role"] == "VOLUNTEER"  # a14 is no party member
    member = await resident(api, "a", 9)
    dated = await ok(
        api,
        "setStationDuty",
        _duty(
            station_gid,
            member,
            weekday=None,
            date=next_week().isoformat(),
            startsAt="8:05",
            endsAt="09:00",
        ),
        as_="admin",
        selection=DUTY,
    )
    assert (dated["date"], dated["startsAt"], dated["role"]) == (
        next_week().isoformat(),
        "08:05",
        "PARTY_MEMBER",
    )
    # Both show on the roster of the week ahead.
    shifts = (
        await api.run(
            ROSTER,
            {
                "id": station_gid,
                "from": next_week().isoformat(),
                "to": (next_week() + timedelta(days=6)).isoformat(),
            },
            as_="secretary",
        )
    ).ok()["node"]["dutyRoster"]
    mine = [s for s in shifts if s["duty"]["id"] in (weekly["id"], dated["id"])]
    assert len(mine) == 2
    assert {s["person"]["id"] for s in mine} == {volunteer, member}


async def test_only_people_of_the_compound_may_be_on_duty(api: Api) -> None:
    """The property firm's manager holds a position in the firm, not in the compound, and a
    leader of B neither lives nor holds a position in A: both refused, alike."""
    station_gid = await station(api)
    outsiders = (gid("Person", await person_id(api, "property_firm")), await resident(api, "b", 27))
    for outsider in outsiders:
        result = await refused(
            api, "setStationDuty", _duty(station_gid, outsider), "secretary", "BAD_USER_INPUT"
        )
        assert "lives or holds a position in 繼光花苑" in result.errors[0]["message"]


async def test_a_position_holder_living_elsewhere_may_be_on_duty(api: Api) -> None:
    b5 = await resident(api, "b", 5)
    team = gid(
        "Organisation",
        int(await api.scalar(sa.select(Organisation.id).where(Organisation.name == TEAM_A))),
    )
    appointed = await api.run(
        "mutation ($i: AppointPositionInput!) { appointPosition(input: $i) { id } }",
        {"i": {"person": b5, "organisation": team, "title": "VOLUNTEER_TEAM_LEADER"}},
        as_="admin",
    )
    appointed.ok()
    duty = await ok(
        api, "setStationDuty", _duty(await station(api), b5), as_="secretary", selection=DUTY
    )
    assert duty["person"]["id"] == b5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": FromToday(days=7)}, "either a weekday"),
        ({"weekday": None}, "either a weekday"),
        ({"weekday": 8}, "1 (Monday) to 7 (Sunday)"),
        (
            {"weekday": None, "date": FromToday(days=-1)},
            "today or later",
        ),
        ({"startsAt": "20:00", "endsAt": "18:00"}, "end after it starts"),
        ({"startsAt": "25:00"}, "HH:MM"),
        ({"endsAt": "evening"}, "HH:MM"),
    ],
)
async def test_bad_duty_input_is_refused(api: Api, change: dict[str, Any], message: str) -> None:
    input = {**_duty(await station(api), await resident(api, "a", 14)), **resolved(change)}
    result = await refused(api, "setStationDuty", input, "secretary", "BAD_USER_INPUT")
    assert message in result.errors[0]["message"]


async def test_overlapping_duty_of_one_person_is_a_conflict(api: Api) -> None:
    station_gid = await station(api)
    volunteer = await resident(api, "a", 14)
    await ok(api, "setStationDuty", _duty(station_gid, volunteer), as_="secretary", selection="id")
    # Next Tuesday falls on the weekly slot's day.
    tuesday = next_week() + timedelta(days=(2 - next_week().isoweekday()) % 7)
    for overlap in (
        {"startsAt": "19:00", "endsAt": "21:00"},
        {"weekday": None, "date": tuesday.isoformat(), "startsAt": "17:00", "endsAt": "18:30"},
    ):
        result = await refused(
            api,
            "setStationDuty",
            {**_duty(station_gid, volunteer), **overlap},
            "secretary",
            "CONFLICT",
        )
        assert "already on duty here" in result.errors[0]["message"]
    # Back to back is fine.
    await ok(
        api,
        "setStationDuty",
        _duty(station_gid, volunteer, startsAt="20:00", endsAt="21:00"),
        as_="secretary",
        selection="id",
    )


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("resident_b", "NOT_FOUND"),
    ],
)
async def test_others_may_not_set_or_remove_duties(api: Api, who: str, code: str) -> None:
    station_gid = await station(api)
    input = _duty(station_gid, await resident(api, "a", 14))
    await refused(api, "setStationDuty", input, who, code)
    duty = await ok(api, "setStationDuty", input, as_="secretary", selection="id")
    await refused(api, "removeStationDuty", {"id": duty["id"]}, who, code)


async def test_removing_a_duty_takes_it_off_the_roster_and_audits_it(api: Api) -> None:
    station_gid = await station(api)
    duty = await ok(
        api,
        "setStationDuty",
        _duty(station_gid, await resident(api, "a", 14)),
        as_="secretary",
        selection="id",
    )
    seq = await last_seq(api)
    removed = await ok(
        api, "removeStationDuty", {"id": duty["id"]}, as_="secretary", selection=DUTY
    )
    assert removed["id"] == duty["id"] and removed["weekday"] == 2
    gone = sa.select(StationDuty.id).where(StationDuty.id == decode_id(duty["id"], "StationDuty"))
    assert await api.scalar(gone) is None
    node = await api.run(
        "query ($id: ID!) { node(id: $id) { id } }", {"id": duty["id"]}, as_="secretary"
    )
    assert node.ok()["node"] is None
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.resource_type) == (
        "removeStationDuty",
        "SUCCESS",
        "station_duty",
    )
    assert {"field": "weekday", "before": 2, "after": None} in entry.changes
    # Gone: a second removal finds nothing (rejected: there is no such record to deny).
    await refused(
        api, "removeStationDuty", {"id": duty["id"]}, "secretary", "NOT_FOUND", outcome="REJECTED"
    )


async def test_b_sees_nothing_of_a_roster(api: Api) -> None:
    async with api.db.read_sessions() as session:
        ids = (
            (
                await session.execute(
                    sa.select(StationDuty.id).where(StationDuty.station_id == await station_id(api))
                )
            )
            .scalars()
            .all()
        )
    assert ids
    nodes = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("StationDuty", i) for i in ids]},
        as_="resident_b",
    )
    assert nodes.ok()["nodes"] == [None] * len(ids)
    mine = await api.run(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [gid("StationDuty", i) for i in ids]},
        as_="resident",
    )
    assert None not in mine.ok()["nodes"]


async def test_a_roster_is_at_most_31_days(api: Api) -> None:
    start = clock.today()
    result = await api.run(
        ROSTER,
        {
            "id": await station(api),
            "from": start.isoformat(),
            "to": (start + timedelta(days=31)).isoformat(),
        },
        as_="resident",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    backwards = await api.run(
        ROSTER,
        {
            "id": await station(api),
            "from": start.isoformat(),
            "to": (start - timedelta(days=1)).isoformat(),
        },
        as_="resident",
    )
    assert backwards.codes == ["BAD_USER_INPUT"]


async def test_stations_with_rosters_and_rewards_cost_the_same_statements_for_1_or_8(
    api: Api, statements: StatementCounter
) -> None:
    for n in range(7):
        await ok(
            api,
            "openStation",
            _open(api, f"驛站{n}", functions=["READING", "FITNESS"]),  # named to sort after A's
            as_="secretary",
            selection="id",
        )
    query = """query ($first: Int!) { stations(first: $first, filter: {subtree: "%s"}) { edges { node {
      name functions compound { name } rewards { edges { node { name station { name } } } }
      dutyRoster { date person { name } duty { person { name } } } } } } }"""
    community = (
        await api.run(
            "query ($id: ID!) { organisation(id: $id) { ancestors { id kind } } }",
            {"id": api.ids["compound_a"]},
            as_="secretary",
        )
    ).ok()["organisation"]["ancestors"][3]["id"]  # city, district, street, community, grid
    counts = []
    for first in (1, 8):
        statements.reset()
        result = await api.run(query % community, {"first": first}, as_="secretary")
        assert len(result.ok()["stations"]["edges"]) == first
        counts.append(statements.count)
    # Rewards are a connection per station (one statement each), like every nested connection.
    assert counts[1] - counts[0] == 7, statements.sql


async def test_stations_rows_belong_to_their_compound(api: Api) -> None:
    """Every station, duty and their compound agree (the isolation matrix relies on it)."""
    async with api.db.read_sessions() as session:
        mismatched = (
            await session.execute(
                sa.select(StationDuty.id)
                .join(Station, Station.id == StationDuty.station_id)
                .where(Station.compound_id != StationDuty.compound_id)
            )
        ).all()
    assert mismatched == []


ROSTER_ROLES = """query ($id: ID!) { node(id: $id) { ... on Station {
  dutyRoster { role person { id } duty { role } } } } }"""


@pytest.mark.parametrize(("role", "sees"), [("secretary", True), ("property_firm", False)])
async def test_a_duty_role_tells_party_membership_so_it_is_withheld(
    api: Api, role: str, sees: bool
) -> None:
    result = await api.run(ROSTER_ROLES, {"id": await station(api)}, as_=role)
    shifts = result.ok()["node"]["dutyRoster"]
    assert shifts, "the demo station has a roster"
    roles = {(s["role"], s["duty"]["role"]) for s in shifts}
    if sees:
        assert all(r is not None and d is not None for r, d in roles)
        assert "maskedFields" not in result.extensions
    else:
        assert roles == {(None, None)}
        assert set(result.extensions["maskedFields"]["fields"]) == {
            "DutyShift.role",
            "StationDuty.role",
        }


async def test_a_roster_at_the_end_of_the_calendar_is_bad_input(api: Api) -> None:
    result = await api.run(
        'query ($id: ID!) { node(id: $id) { ... on Station { dutyRoster(from: "9999-12-31") '
        "{ date } } } }",
        {"id": await station(api)},
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
