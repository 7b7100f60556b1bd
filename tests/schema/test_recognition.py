"""Mentoring (導師幫帶) and commendations (兩優一先): the street's organisation officer pairs and
honours from above the compound; the compound reads them on the person's and the branch's
record; nobody else sets them up, and another compound never sees them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.disclosure_helpers import branch
from tests.helpers import Api
from tests.issue_helpers import COMMUNITY, DEPARTMENT, entries_since, last_seq, ok, org
from tests.mutation_cases import assert_refused
from tests.recognition_helpers import (
    HONOUR,
    LAST_YEAR,
    PAIR,
    TABLES,
    commend_input,
    honour_in,
    member,
    open_pair,
    pair_input,
)

RECORD = """query ($id: ID!) { node(id: $id) { ... on Person {
  mentors(first: 10) { edges { node { id mentor { id } active } } }
  mentees(first: 10) { edges { node { id mentee { id } } } }
  commendations(first: 10) { edges { node { id kind year title } } } } } }"""
BRANCH = """query ($id: ID!) { node(id: $id) { ... on Organisation {
  commendations(first: 10) { edges { node { id kind awardedBy { name } } } } } } }"""
LISTS = """query { mentorPairs(first: 50) { edges { node { id compound { id } } } }
  commendations(first: 50) { edges { node { id compound { id } } } } }"""


async def _pair(api: Api, input: dict[str, Any], as_: str = "supervisor") -> dict[str, Any]:
    return await ok(api, "pairMentor", input, as_=as_, selection=PAIR)


async def _commend(api: Api, input: dict[str, Any], as_: str = "supervisor") -> dict[str, Any]:
    return await ok(api, "commend", input, as_=as_, selection=HONOUR)


async def test_the_street_pairs_a_mentor_and_both_records_show_it(api: Api) -> None:
    input = await pair_input(api)
    seq = await last_seq(api)
    pair = await _pair(api, input)
    assert pair["active"] and pair["endDate"] is None
    assert (pair["mentor"]["id"], pair["mentee"]["id"]) == (input["mentor"], input["mentee"])
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == ("pairMentor", "SUCCESS", "supervisor")
    assert entry.resource_type == "mentor_pair"

    mentee = (await api.run(RECORD, {"id": input["mentee"]}, as_="secretary")).ok()["node"]
    assert pair["id"] in [e["node"]["id"] for e in mentee["mentors"]["edges"]]
    mentor = (await api.run(RECORD, {"id": input["mentor"]}, as_="secretary")).ok()["node"]
    assert pair["id"] in [e["node"]["id"] for e in mentor["mentees"]["edges"]]
    # Pairings are the branch's business: a resident of the compound does not read them.
    resident = (await api.run(LISTS, as_="resident")).ok()
    assert resident["mentorPairs"]["edges"] == []


async def test_ending_a_mentoring_keeps_it_on_record(api: Api) -> None:
    pair = await open_pair(api)
    ended = await ok(
        api, "endMentoring", {**pair, "note": "期滿"}, as_="supervisor", selection=PAIR
    )
    assert ended["endDate"] is not None and not ended["active"]
    assert ended["version"] == 2
    again = await assert_refused(
        api, "endMentoring", pair, as_="supervisor", code="BAD_USER_INPUT", tables=TABLES
    )
    assert again.errors[0]["extensions"]["reason"] == "ALREADY_ENDED"


async def test_the_street_commends_a_member_and_a_branch(api: Api) -> None:
    input = await commend_input(api)
    honour = await _commend(api, input)
    assert (honour["kind"], honour["year"]) == ("EXCELLENT_PARTY_MEMBER", LAST_YEAR)
    record = (await api.run(RECORD, {"id": input["person"]}, as_="resident")).ok()["node"]
    assert honour["id"] in [e["node"]["id"] for e in record["commendations"]["edges"]]

    branch_a = await branch(api, "a")
    advanced = await _commend(
        api,
        await commend_input(
            api,
            kind="ADVANCED_PARTY_ORGANISATION",
            person=None,
            organisation=branch_a,
            awardedBy=await org(api, COMMUNITY),
            title="先進基層黨組織",
        ),
    )
    shown = (await api.run(BRANCH, {"id": branch_a}, as_="committee_member")).ok()["node"]
    assert advanced["id"] in [e["node"]["id"] for e in shown["commendations"]["edges"]]


async def test_a_withdrawn_commendation_leaves_the_record(api: Api) -> None:
    honour = await _commend(api, await commend_input(api))
    withdrawn = await ok(
        api,
        "withdrawCommendation",
        {"id": honour["id"], "reason": "重複錄入", "expectedVersion": 1},
        as_="supervisor",
        selection=HONOUR,
    )
    assert withdrawn["withdrawnAt"] is not None
    record = (await api.run(RECORD, {"id": honour["person"]["id"]}, as_="secretary")).ok()
    assert honour["id"] not in [e["node"]["id"] for e in record["node"]["commendations"]["edges"]]
    again = await assert_refused(
        api,
        "withdrawCommendation",
        {"id": honour["id"], "reason": "再撤"},
        as_="supervisor",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    assert again.errors[0]["extensions"]["reason"] == "ALREADY_WITHDRAWN"


async def test_each_compound_reads_only_its_own(api: Api) -> None:
    """The demo has pairings and honours in both compounds."""
    for caller, compound in (("secretary", "a"), ("secretary_b", "b"), ("resident_b", "b")):
        lists = (await api.run(LISTS, as_=caller)).ok()
        compounds = {e["node"]["compound"]["id"] for e in lists["commendations"]["edges"]}
        assert compounds == {api.ids[f"compound_{compound}"]}, caller
        pairs = {e["node"]["compound"]["id"] for e in lists["mentorPairs"]["edges"]}
        assert pairs <= {api.ids[f"compound_{compound}"]}, caller
    street = (await api.run(LISTS, as_="supervisor")).ok()
    assert {e["node"]["compound"]["id"] for e in street["mentorPairs"]["edges"]} == {
        api.ids["compound_a"],
        api.ids["compound_b"],
    }


@pytest.mark.parametrize(
    ("as_", "code"),
    [
        ("secretary", "FORBIDDEN"),  # the compound's own branch never sets up its own
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("secretary_b", "NOT_FOUND"),  # another compound's branch is not even visible
    ],
)
async def test_pairing_is_refused_to_the_compound_and_others(api: Api, as_: str, code: str) -> None:
    await assert_refused(
        api, "pairMentor", await pair_input(api), as_=as_, code=code, tables=TABLES
    )


@pytest.mark.parametrize(
    ("as_", "code"),
    [("secretary", "FORBIDDEN"), ("resident", "FORBIDDEN"), ("secretary_b", "NOT_FOUND")],
)
async def test_commending_is_refused_to_the_compound_and_others(
    api: Api, as_: str, code: str
) -> None:
    await assert_refused(
        api, "commend", await commend_input(api), as_=as_, code=code, tables=TABLES
    )


async def test_another_compound_cannot_end_or_withdraw(api: Api) -> None:
    for name, input in (
        ("endMentoring", await open_pair(api)),
        ("withdrawCommendation", {**await honour_in(api), "reason": "x"}),
    ):
        await assert_refused(api, name, input, as_="secretary_b", code="NOT_FOUND", tables=TABLES)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"mentor": "a6"}, "MENTOR_NOT_EXPERIENCED"),  # a deputy, not a secretary
        ({"mentee": "a1"}, "MENTEE_NOT_IN_BRANCH"),  # a resident without a position
    ],
)
async def test_pairing_rules(api: Api, fields: dict[str, str], reason: str) -> None:
    people = {key: await member(api, value[0], int(value[1:])) for key, value in fields.items()}
    refused = await assert_refused(
        api,
        "pairMentor",
        await pair_input(api, **people),
        as_="supervisor",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    assert refused.errors[0]["extensions"]["reason"] == reason


async def test_a_second_overlapping_pairing_is_a_conflict(api: Api) -> None:
    deputy = await member(api, "a", 6)  # the demo pairs the secretary with the deputy
    refused = await assert_refused(
        api,
        "pairMentor",
        await pair_input(api, mentee=deputy),
        as_="supervisor",
        code="CONFLICT",
        tables=TABLES,
    )
    assert refused.errors[0]["extensions"]["reason"] == "ALREADY_PAIRED"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "ADVANCED_PARTY_ORGANISATION"}, "WRONG_RECIPIENT"),
        ({"person": ("a", 1)}, "NOT_A_PARTY_MEMBER"),
        ({"awardedBy": DEPARTMENT}, "AWARDER_NOT_ABOVE"),
        ({"year": LAST_YEAR + 5}, None),
        ({"citation": "  "}, None),
    ],
)
async def test_commendation_rules(api: Api, fields: dict[str, Any], reason: str | None) -> None:
    input = await commend_input(api)
    for key, value in fields.items():
        if key == "person":
            input[key] = await member(api, *value)
        elif key == "awardedBy":
            input[key] = await org(api, value)
        else:
            input[key] = value
    refused = await assert_refused(
        api, "commend", input, as_="supervisor", code="BAD_USER_INPUT", tables=TABLES
    )
    assert refused.errors[0]["extensions"].get("reason") == reason


async def test_the_same_honour_twice_is_a_conflict(api: Api) -> None:
    input = await commend_input(api)
    await _commend(api, input)
    refused = await assert_refused(
        api, "commend", input, as_="supervisor", code="CONFLICT", tables=TABLES
    )
    assert refused.errors[0]["extensions"]["reason"] == "ALREADY_COMMENDED"


async def test_the_pairing_reads_by_name_in_its_audit_trail(api: Api) -> None:
    pair = await _pair(api, await pair_input(api))
    trail = """query ($id: ID!) { node(id: $id) { ... on MentorPair { auditTrail(first: 5) {
      edges { node { operation resourceLabel changes { field label afterText } } } } } } }"""
    node = (await api.run(trail, {"id": pair["id"]}, as_="supervisor")).ok()["node"]
    (edge,) = node["auditTrail"]["edges"]
    entry = edge["node"]
    assert entry["operation"] == "pairMentor"
    labels = {c["field"]: (c["label"], c["afterText"]) for c in entry["changes"]}
    assert labels["mentor_id"][0] == "导师"
    assert labels["mentee_id"][0] == "帮带对象"
    # The mentee's name, not only the id: a pairing is named by its mentee.
    assert entry["resourceLabel"] and entry["resourceLabel"] in labels["mentee_id"][1]


async def test_mentor_and_mentee_read_their_pairing_wherever_the_mentor_serves(api: Api) -> None:
    """上東小區's secretary mentors a branch committee member of 繼光花苑: the pairing lies in
    繼光花苑, and the mentor reads it as their own, though not the mentee's record."""
    from schema.ids import decode_id
    from tests.lovebank_helpers import token_for

    mentee = await member(api, "a", 3)
    pair = await _pair(api, await pair_input(api, mentor=await member(api, "b", 0)))
    node = """query ($id: ID!) { node(id: $id) { ... on MentorPair {
      id mentor { id } mentee { id } compound { id } } } }"""
    seen = (await api.run(node, {"id": pair["id"]}, as_="secretary_b")).ok()["node"]
    assert seen is not None and seen["mentee"] is None  # not B's person to read
    assert seen["compound"] is None  # nor A's compound: the pairing alone is theirs
    as_mentee = await token_for(api, decode_id(mentee, "Person"))
    lists = (await api.run(LISTS, as_=as_mentee)).ok()
    assert pair["id"] in [e["node"]["id"] for e in lists["mentorPairs"]["edges"]]
    # Another of B's people, no party to it, does not see it.
    other = (await api.run(LISTS, as_="committee_member_b")).ok()
    assert pair["id"] not in [e["node"]["id"] for e in other["mentorPairs"]["edges"]]
