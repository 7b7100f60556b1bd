"""A property firm's standing (黑白名單) through GraphQL with real tokens: who sets it, the
term rules, who reads it, and Organisation.standing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from db import clock
from demo.sample.evaluations import OLD_FIRM_BARRED_UNTIL
from tests.evaluation_helpers import (
    STANDING,
    demo_evaluation,
    new_firm,
    ok,
    refused,
)
from tests.helpers import Api, gid
from tests.issue_helpers import COMMITTEE_A, FIRM_A, FIRM_B, entries_since, last_seq, org, org_id

OLD_FIRM = "宏遠物業服務有限公司"


def _input(firm: str, **fields: Any) -> dict[str, Any]:
    return {
        "firm": firm,
        "list": "BLACK",
        "reason": "電梯故障長期未修，業主投訴集中",
        "startsOn": clock.today().isoformat(),
        **fields,
    }


async def _set(api: Api, input: dict[str, Any], as_: str = "supervisor") -> dict[str, Any]:
    return await ok(api, "setFirmStanding", input, as_=as_, selection=STANDING)


RECORD = """
query ($id: ID!) { organisation(id: $id) { kind standing {
  current { id list startsOn endsOn inForce }
  history(first: 10) { totalCount edges { node { id list startsOn endsOn inForce } } } } } }
"""


async def _record(api: Api, firm: str, as_: str) -> Any:
    return (await api.run(RECORD, {"id": firm}, as_=as_)).ok()["organisation"]


async def test_a_supervisor_black_lists_a_firm_and_the_white_entry_ends(api: Api) -> None:
    firm = await org(api, FIRM_A)
    before = (await _record(api, firm, "supervisor"))["standing"]
    assert before["current"]["list"] == "WHITE"
    white = before["current"]["id"]
    seq = await last_seq(api)
    entry = await _set(api, _input(firm))
    assert (entry["list"], entry["startsOn"], entry["endsOn"], entry["inForce"]) == (
        "BLACK",
        clock.today().isoformat(),
        None,
        True,
    )
    assert entry["firmName"] == entry["firm"]["name"] == FIRM_A
    after = (await _record(api, firm, "supervisor"))["standing"]
    assert after["current"]["id"] == entry["id"]
    history = [e["node"] for e in after["history"]["edges"]]
    assert after["history"]["totalCount"] == 3
    assert [h["id"] for h in history][:2] == [entry["id"], white]
    assert (
        history[1]["endsOn"] == clock.today().isoformat()
    )  # the white entry ends as the black begins
    assert history[1]["inForce"] is False
    (audit,) = await entries_since(api, seq)
    assert (audit.operation, audit.outcome, audit.role) == (
        "setFirmStanding",
        "SUCCESS",
        "supervisor",
    )
    assert audit.resource_type == "standing"
    assert {"field": "kind", "before": None, "after": "BLACK"} in audit.changes
    assert any(
        c["field"].endswith("ends_on") and c["after"] == clock.today().isoformat()
        for c in audit.changes
    )


async def test_the_entry_in_force_is_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    firm = await org(api, FIRM_A)
    standing = (await _record(api, firm, "supervisor"))["standing"]
    assert standing["current"]["list"] == "WHITE" and standing["current"]["inForce"]
    assert whole_model_reads == []


async def test_an_entry_may_follow_a_closed_evaluation_and_end(api: Api) -> None:
    evaluation = await demo_evaluation(api, status="CLOSED")
    ends = (clock.today() + timedelta(days=365)).isoformat()
    entry = await _set(
        api,
        _input(
            await org(api, FIRM_A),
            list="WHITE",
            reason="年度評議4星以上",
            evaluation=evaluation["id"],
            endsOn=ends,
        ),
        as_="admin",
    )
    assert (entry["evaluation"]["id"], entry["endsOn"]) == (evaluation["id"], ends)


async def test_a_former_firm_is_black_listed_over_the_compounds_it_served(api: Api) -> None:
    """The supervisor cannot see 宏遠物業 itself any more (its contract with 上東小區 ended),
    yet sets its standing: the firm served a compound under their street."""
    firm = gid("Organisation", await org_id(api, OLD_FIRM))
    assert (await api.run(RECORD, {"id": firm}, as_="supervisor")).ok()["organisation"] is None
    entry = await _set(api, _input(firm, startsOn="2027-01-01", reason="黑名單延長"))
    assert (entry["firm"], entry["firmName"]) == (None, OLD_FIRM)


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"reason": "   "}, "BAD_USER_INPUT", "must not be empty"),
        ({"endsOn": clock.today().isoformat()}, "BAD_USER_INPUT", "end after it starts"),
        # 安居物業's white entry started last December: a new one must start after it.
        (
            {"startsOn": f"{clock.today().year - 1}-12-22"},
            "CONFLICT",
            "start after every earlier one",
        ),
        (
            {"startsOn": f"{clock.today().year - 1}-06-01"},
            "CONFLICT",
            "start after every earlier one",
        ),
    ],
)
async def test_bad_entries_are_refused(
    api: Api, change: dict[str, Any], code: str, message: str
) -> None:
    input = _input(await org(api, FIRM_A), **change)
    await refused(api, "setFirmStanding", input, "supervisor", code, message)


async def test_only_firms_and_their_own_closed_evaluations(api: Api) -> None:
    committee = await org(api, COMMITTEE_A)
    await refused(
        api, "setFirmStanding", _input(committee), "admin", "BAD_USER_INPUT", "Only a property firm"
    )
    open_one = await demo_evaluation(api)
    input = _input(await org(api, FIRM_A), evaluation=open_one["id"])
    await refused(api, "setFirmStanding", input, "supervisor", "BAD_USER_INPUT", "must be closed")
    theirs = await demo_evaluation(api, subject=COMMITTEE_A, status="CLOSED")
    input = _input(await org(api, FIRM_A), evaluation=theirs["id"])
    await refused(api, "setFirmStanding", input, "supervisor", "BAD_USER_INPUT", "of this firm")


@pytest.mark.parametrize("who", ["secretary", "committee_member", "resident", "property_firm"])
async def test_compound_people_and_firms_do_not_set_standing(api: Api, who: str) -> None:
    await refused(api, "setFirmStanding", _input(await org(api, FIRM_A)), who, "FORBIDDEN")


async def test_a_supervisor_sets_nothing_for_a_firm_outside_their_street(api: Api) -> None:
    # A firm registered in the district that serves no compound under the street.
    firm = await new_firm(api, serving=False)
    input = _input(gid("Organisation", firm))
    # Out of the supervisor's sight altogether: NOT_FOUND, as for a missing id (audited DENIED).
    await refused(api, "setFirmStanding", input, "supervisor", "NOT_FOUND")
    # The admin may (the whole city is theirs).
    assert (await _set(api, input, as_="admin"))["list"] == "BLACK"


async def test_an_unknown_firm_is_not_found(api: Api) -> None:
    input = _input(gid("Organisation", 987654))
    # No such record: rejected, not denied.
    await refused(api, "setFirmStanding", input, "supervisor", "NOT_FOUND", outcome="REJECTED")


LIST = """
query ($f: FirmStandingFilter) { firmStandings(filter: $f, first: 50) {
  totalCount edges { node { list firmName inForce } } } }
"""


async def _names(api: Api, as_: str, filter: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    data = (await api.run(LIST, {"f": filter}, as_=as_)).ok()["firmStandings"]
    return [(e["node"]["firmName"], e["node"]["list"]) for e in data["edges"]]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # 繼光花苑's people and 安居物業's staff: the firm serving them, both terms.
        ("resident", [(FIRM_A, "WHITE"), (FIRM_A, "WHITE")]),
        ("secretary", [(FIRM_A, "WHITE"), (FIRM_A, "WHITE")]),
        ("property_firm", [(FIRM_A, "WHITE"), (FIRM_A, "WHITE")]),
        # 上東小區's people: the firm they replaced, black-listed.
        ("resident_b", [(OLD_FIRM, "BLACK")]),
        ("supervisor", [(OLD_FIRM, "BLACK"), (FIRM_A, "WHITE"), (FIRM_A, "WHITE")]),
        ("admin", [(OLD_FIRM, "BLACK"), (FIRM_A, "WHITE"), (FIRM_A, "WHITE")]),
    ],
)
async def test_who_reads_which_standing(
    api: Api, who: str, expected: list[tuple[str, str]]
) -> None:
    assert await _names(api, who) == expected


async def test_filters(api: Api) -> None:
    assert await _names(api, "admin", {"list": "BLACK"}) == [(OLD_FIRM, "BLACK")]
    assert await _names(api, "admin", {"firm": await org(api, FIRM_A)}) == [
        (FIRM_A, "WHITE"),
        (FIRM_A, "WHITE"),
    ]
    in_force = await _names(api, "admin", {"inForceOn": clock.today().isoformat()})
    # The old firm's bar is in force until OLD_FIRM_BARRED_UNTIL, whenever the suite runs.
    barred = clock.today() < OLD_FIRM_BARRED_UNTIL
    assert (FIRM_A, "WHITE") in in_force and len(in_force) == 1 + barred
    assert ((OLD_FIRM, "BLACK") in in_force) == barred
    assert await _names(api, "admin", {"inForceOn": "2023-06-01"}) == []
    assert await _names(api, "admin", {"firm": await org(api, FIRM_B)}) == []


async def test_a_new_entry_shows_in_every_compound_the_firm_serves(api: Api) -> None:
    await _set(api, _input(await org(api, FIRM_B), list="WHITE", reason="換屆後服務提升"))
    assert (FIRM_B, "WHITE") in await _names(api, "resident_b")
    assert (FIRM_B, "WHITE") not in await _names(api, "resident")


async def test_organisation_standing_is_for_firms_only(api: Api) -> None:
    committee = await _record(api, await org(api, COMMITTEE_A), "resident")
    assert committee == {"kind": "OWNERS_COMMITTEE", "standing": None}
    firm_b = await _record(api, await org(api, FIRM_B), "resident_b")
    assert firm_b["standing"] == {"current": None, "history": {"totalCount": 0, "edges": []}}


async def test_standing_nodes_are_scoped(api: Api) -> None:
    data = (
        await api.run(LIST.replace("list firmName", "id list firmName"), {"f": None}, as_="admin")
    ).ok()
    ids = [e["node"]["id"] for e in data["firmStandings"]["edges"]]
    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on FirmStanding { firmName } } }"
    as_b = (await api.run(query, {"ids": ids}, as_="resident_b")).ok()["nodes"]
    assert as_b == [{"firmName": OLD_FIRM}, None, None]
    as_a = (await api.run(query, {"ids": ids}, as_="resident")).ok()["nodes"]
    assert as_a == [None, {"firmName": FIRM_A}, {"firmName": FIRM_A}]
