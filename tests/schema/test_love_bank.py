"""The love bank (愛心銀行) through GraphQL with real tokens: recording and confirming service,
listing and redeeming rewards, who sees balances and passbooks, the volunteer ranking, the
compound totals, and a ledger that always balances."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import clock
from db.models import LedgerEntry, Reward, VolunteerService
from resolvers.love_bank.points import CompoundPoints, points_by_compound
from tests.helpers import Api, FromToday, StatementCounter, gid, resolved
from tests.issue_helpers import entries_since, last_seq, mutate, person, person_id
from tests.lovebank_helpers import (
    REWARD,
    STATION_B,
    balance,
    confirm,
    db_id,
    earn,
    leader_token,
    list_reward,
    overdrawn_accounts,
    record,
    redeem,
    refused,
    resident,
    resident_id,
    reward,
    station,
    token_for,
    unbalanced_entries,
)

# The demo's balances: earned for confirmed service, less what was redeemed.
DEMO_BALANCE = {"a1": 20, "a2": 15, "a10": 0, "a6": 20, "a27": 20, "b1": 10, "b2": 15, "b5": 5}
POINTS = """query ($id: ID!) { node(id: $id) { ... on Person { pointsBalance
  pointsLedger(first: 10) { totalCount edges { node { amount kind memo occurredOn
    entry { id kind lines { amount account { kind } } } } } } } } }"""
RANKING = """query ($scope: ID!, $from: Date!, $to: Date!, $first: Int) {
  volunteerRanking(scope: $scope, period: {from: $from, to: $to}, first: $first) {
    rank points services person { id } } }"""


def _record_input(api: Api, volunteer: str, **fields: Any) -> dict[str, Any]:
    return {
        "volunteer": volunteer,
        "compound": api.ids["compound_a"],
        "activity": "樓道清掃",
        "hours": 2,
        "occurredOn": (clock.today() - timedelta(days=2)).isoformat(),
        **fields,
    }


async def _street(api: Api) -> str:
    query = "query ($id: ID!) { organisation(id: $id) { parent { parent { id } } } }"
    data = (await api.run(query, {"id": api.ids["compound_a"]}, as_="supervisor")).ok()
    street: str = data["organisation"]["parent"]["parent"]["id"]
    return street


async def _building(api: Api) -> str:
    query = "query ($id: ID!) { organisation(id: $id) { children(first: 1, kinds: [BUILDING]) { edges { node { id } } } } }"
    data = (await api.run(query, {"id": api.ids["compound_a"]}, as_="secretary")).ok()
    building: str = data["organisation"]["children"]["edges"][0]["node"]["id"]
    return building


# --- recording service ----------------------------------------------------------------------


async def test_a_team_leader_records_service_pending_without_points(api: Api) -> None:
    leader = await leader_token(api)
    a2 = await resident_id(api, "a", 2)
    seq = await last_seq(api)
    service = await record(api, gid("Person", a2), as_=leader, hours=2.5)
    assert (service["status"], service["points"], service["hours"]) == ("PENDING", 25, 2.5)
    assert service["volunteer"]["id"] == gid("Person", a2)
    assert service["recordedBy"]["id"] == await resident(api, "a", 27)
    assert await balance(api, a2) == DEMO_BALANCE["a2"]  # nothing posted yet
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == (
        "recordVolunteerService",
        "SUCCESS",
        "volunteer_leader",
    )
    assert {"field": "points", "before": None, "after": 25} in entry.changes


@pytest.mark.parametrize("who", ["secretary", "committee_member"])
async def test_the_branch_and_committees_record_service(api: Api, who: str) -> None:
    service = await record(api, await resident(api, "a", 2), as_=who, hours=1)
    assert service["status"] == "PENDING"


@pytest.mark.parametrize(
    ("hours", "points"), [(0.25, 3), (1 / 60, 1), (24, 240), (1.04, 10), (1.05, 11)]
)
async def test_points_follow_the_documented_rate(api: Api, hours: float, points: int) -> None:
    service = await record(api, await resident(api, "a", 2), as_="secretary", hours=hours)
    assert service["points"] == points


async def test_points_may_be_set_up_to_twice_the_rate(api: Api) -> None:
    a2 = await resident(api, "a", 2)
    service = await record(api, a2, as_="secretary", hours=2, points=40)
    assert service["points"] == 40
    result = await refused(
        api,
        "recordVolunteerService",
        _record_input(api, a2, points=41),
        "secretary",
        "BAD_USER_INPUT",
    )
    assert "between 1 and 40" in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("resident", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("admin", "FORBIDDEN"),
        ("resident_b", "NOT_FOUND"),
        ("leader_b", "NOT_FOUND"),  # a leader of B cannot see compound A
    ],
)
async def test_others_may_not_record_service(api: Api, who: str, code: str) -> None:
    caller = await leader_token(api, "b") if who == "leader_b" else who
    input = _record_input(api, await resident(api, "a", 2))
    await refused(api, "recordVolunteerService", input, caller, code)


async def test_nobody_records_their_own_service(api: Api) -> None:
    leader = await leader_token(api)
    input = _record_input(api, await resident(api, "a", 27))
    result = await refused(api, "recordVolunteerService", input, leader, "FORBIDDEN")
    assert "your own service" in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": 0}, "more than 0 and at most 24"),
        ({"hours": -1}, "more than 0 and at most 24"),
        ({"hours": 24.5}, "more than 0 and at most 24"),
        ({"hours": 0.001}, "at least one minute"),
        ({"points": 0}, "between 1 and"),
        ({"activity": "  "}, "activity must not be empty"),
        ({"occurredOn": FromToday(days=1)}, "not ahead"),
        ({"occurredOn": FromToday(days=-400)}, "more than a year ago"),
        ({"compound": "building"}, "Expected a compound"),
    ],
)
async def test_bad_service_input_is_refused(api: Api, change: dict[str, Any], message: str) -> None:
    change = resolved(change)
    if change.get("compound") == "building":
        change = {"compound": await _building(api)}
    input = {**_record_input(api, await resident(api, "a", 2)), **change}
    result = await refused(api, "recordVolunteerService", input, "secretary", "BAD_USER_INPUT")
    assert message in result.errors[0]["message"]


async def test_the_volunteer_must_belong_to_the_compound(api: Api) -> None:
    for outsider in (await resident(api, "b", 1), gid("Person", 10**6)):
        input = _record_input(api, outsider)
        result = await refused(api, "recordVolunteerService", input, "secretary", "BAD_USER_INPUT")
        assert "lives or holds a position in 繼光花苑" in result.errors[0]["message"]


# --- confirming service ---------------------------------------------------------------------


async def test_the_volunteer_confirms_once_and_the_points_are_posted(api: Api) -> None:
    a1 = await person_id(api, "resident")
    service = await record(api, gid("Person", a1), as_=await leader_token(api), hours=3)
    seq = await last_seq(api)
    confirmed = await confirm(api, service["id"], as_="resident")
    assert (confirmed["status"], confirmed["version"]) == ("CONFIRMED", 2)
    assert await balance(api, a1) == DEMO_BALANCE["a1"] + 30
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == (
        "confirmVolunteerService",
        "SUCCESS",
        "self",
    )
    assert {"field": "balance", "before": 20, "after": 50} in entry.changes
    query = """query ($id: ID!) { node(id: $id) { ... on VolunteerService {
      ledgerEntry { kind points occurredOn lines { amount account { kind person { id } compound { id } } } } } } }"""
    posted = (await api.run(query, {"id": service["id"]}, as_="resident")).ok()["node"][
        "ledgerEntry"
    ]
    assert (posted["kind"], posted["points"]) == ("EARN", 30)
    lines = sorted(posted["lines"], key=lambda line: line["amount"])
    assert [(line["amount"], line["account"]["kind"]) for line in lines] == [
        (-30, "ISSUANCE"),
        (30, "PERSON"),
    ]
    assert lines[0]["account"]["compound"]["id"] == api.ids["compound_a"]
    assert lines[1]["account"]["person"]["id"] == gid("Person", a1)
    # Only once.
    result = await refused(
        api, "confirmVolunteerService", {"service": service["id"]}, "resident", "CONFLICT"
    )
    assert "already confirmed" in result.errors[0]["message"]
    assert await balance(api, a1) == DEMO_BALANCE["a1"] + 30


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("secretary", "FORBIDDEN"),  # sees it, but it is not theirs to confirm
        ("committee_member", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("a2", "NOT_FOUND"),  # another resident does not even see it
        ("resident_b", "NOT_FOUND"),
        ("property_firm", "NOT_FOUND"),
    ],
)
async def test_only_the_volunteer_confirms(api: Api, who: str, code: str) -> None:
    a1 = await person_id(api, "resident")
    service = await record(api, gid("Person", a1), as_="secretary", hours=1)
    caller = await token_for(api, await resident_id(api, "a", 2)) if who == "a2" else who
    await refused(api, "confirmVolunteerService", {"service": service["id"]}, caller, code)
    assert await balance(api, a1) == DEMO_BALANCE["a1"]


# --- rewards --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretary", "admin"])
async def test_the_secretary_lists_a_reward(api: Api, who: str) -> None:
    input = {"station": await station(api), "name": " 電影票 ", "cost": 80, "stock": 5}
    result = await mutate(api, "listReward", input, as_=who, selection=REWARD)
    listed = result.ok()["listReward"]
    assert (listed["name"], listed["cost"], listed["stock"], listed["station"]["id"]) == (
        "電影票",
        80,
        5,
        await station(api),
    )
    unlimited = await mutate(api, "listReward", {**input, "stock": None}, as_=who, selection=REWARD)
    assert unlimited.ok()["listReward"]["stock"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cost": 0}, "more than 0"),
        ({"cost": -5}, "more than 0"),
        ({"cost": 100_001}, "at most 100000"),
        ({"stock": -1}, "stock must be between 0"),
        ({"name": " "}, "must not be empty"),
        ({"name": "禮" * 101}, "at most 100"),
    ],
)
async def test_bad_reward_input_is_refused(api: Api, change: dict[str, Any], message: str) -> None:
    input = {"station": await station(api), "name": "電影票", "cost": 80, **change}
    result = await refused(api, "listReward", input, "secretary", "BAD_USER_INPUT")
    assert message in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("resident", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("leader", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN"),  # sees the station of the compound it serves
        ("resident_b", "NOT_FOUND"),
    ],
)
async def test_others_may_not_list_rewards(api: Api, who: str, code: str) -> None:
    caller = await leader_token(api) if who == "leader" else who
    input = {"station": await station(api), "name": "電影票", "cost": 80}
    await refused(api, "listReward", input, caller, code)


async def test_the_secretary_of_a_lists_nothing_at_b(api: Api) -> None:
    input = {"station": await station(api, STATION_B), "name": "電影票", "cost": 80}
    await refused(api, "listReward", input, "secretary", "NOT_FOUND")


# --- redeeming ------------------------------------------------------------------------------


async def test_a_resident_redeems_within_balance_and_stock(api: Api) -> None:
    a1 = await person_id(api, "resident")
    gift = await list_reward(api, "保溫杯", cost=15, stock=2)
    seq = await last_seq(api)
    result = await redeem(api, gift, 1, as_="resident")
    entry = result.ok()["redeemPoints"]
    assert (entry["kind"], entry["points"], entry["quantity"], entry["memo"]) == (
        "REDEEM",
        15,
        1,
        "保溫杯 × 1",
    )
    assert sorted((line["amount"], line["account"]["kind"]) for line in entry["lines"]) == [
        (-15, "PERSON"),
        (15, "REDEMPTION"),
    ]
    assert await balance(api, a1) == DEMO_BALANCE["a1"] - 15
    stock = await api.scalar(sa.select(Reward.stock).where(Reward.id == db_id(gift, "Reward")))
    assert stock == 1
    (audit,) = await entries_since(api, seq)
    assert (audit.operation, audit.outcome, audit.resource_type, audit.role) == (
        "redeemPoints",
        "SUCCESS",
        "ledger_entry",
        "resident",
    )
    assert {"field": "balance", "before": 20, "after": 5} in audit.changes
    assert {"field": "stock", "before": 2, "after": 1} in audit.changes
    # The resident reads the entry back, with its reward and station.
    back = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on LedgerEntry { reward { name } station { name } } } }",
        {"id": entry["id"]},
        as_="resident",
    )
    assert back.ok()["node"]["reward"]["name"] == "保溫杯"


async def test_not_enough_points_or_stock_is_refused_and_changes_nothing(api: Api) -> None:
    gift = await list_reward(api, "保溫杯", cost=15, stock=1)
    result = await refused(
        api, "redeemPoints", {"reward": gift, "quantity": 2}, "resident", "BAD_USER_INPUT"
    )
    assert "Only 1 of 保溫杯 are left" in result.errors[0]["message"]
    dear = await list_reward(api, "電飯煲", cost=21)
    result = await refused(
        api, "redeemPoints", {"reward": dear, "quantity": 1}, "resident", "BAD_USER_INPUT"
    )
    assert "You have 20 points; 1 × 電飯煲 costs 21" in result.errors[0]["message"]
    sold_out = await list_reward(api, "紀念章", cost=1, stock=0)
    await refused(
        api, "redeemPoints", {"reward": sold_out, "quantity": 1}, "resident", "BAD_USER_INPUT"
    )


@pytest.mark.parametrize("quantity", [0, -1, 101])
async def test_quantity_is_1_to_100(api: Api, quantity: int) -> None:
    gift = await list_reward(api, "保溫杯", cost=1)
    result = await refused(
        api, "redeemPoints", {"reward": gift, "quantity": quantity}, "resident", "BAD_USER_INPUT"
    )
    assert "between 1 and 100" in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("supervisor", "FORBIDDEN"),  # may see rewards, redeems nothing
        ("admin", "FORBIDDEN"),  # lives nowhere
        ("property_firm", "NOT_FOUND"),  # does not see rewards
        ("resident_b", "NOT_FOUND"),  # only at stations of their own compound
    ],
)
async def test_only_residents_of_the_compound_redeem(api: Api, who: str, code: str) -> None:
    gift = await list_reward(api, "保溫杯", cost=1)
    await refused(api, "redeemPoints", {"reward": gift, "quantity": 1}, who, code)


async def test_a_resident_of_b_redeems_at_b_not_at_a(api: Api) -> None:
    b1 = await person_id(api, "resident_b")
    at_b = await reward(api, "義診體檢券")  # 40 points; b1 holds 10
    service = await record(
        api, gid("Person", b1), as_=await leader_token(api, "b"), compound="b", hours=3
    )
    await confirm(api, service["id"], as_="resident_b")
    assert await balance(api, b1) == DEMO_BALANCE["b1"] + 30
    redeem_b = await redeem(api, at_b, 1, as_="resident_b")
    assert redeem_b.ok()["redeemPoints"]["points"] == 40
    at_a = await reward(api, "理髮服務券")
    await refused(api, "redeemPoints", {"reward": at_a, "quantity": 1}, "resident_b", "NOT_FOUND")
    assert await balance(api, b1) == 0


# --- balances and passbooks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "whose", "shown"),
    [
        ("resident", "a1", True),  # their own
        ("resident", "a6", False),  # a position holder they may see, but not their points
        ("secretary", "a2", True),
        ("committee_member", "a2", True),
        ("supervisor", "a2", True),
        ("admin", "b2", True),
        ("property_firm", "a2", False),
        ("leader", "a2", False),
        ("resident_b", "b1", True),
    ],
)
async def test_who_sees_a_balance(api: Api, who: str, whose: str, shown: bool) -> None:
    caller = await leader_token(api) if who == "leader" else who
    target = await resident(api, whose[0], int(whose[1:]))
    result = await api.run(POINTS, {"id": target}, as_=caller)
    node = result.ok()["node"]
    assert node is not None
    if shown:
        assert node["pointsBalance"] == DEMO_BALANCE[whose]
        assert node["pointsLedger"]["totalCount"] > 0
    else:
        assert node["pointsBalance"] is None
        assert "Person.pointsBalance" in result.extensions["maskedFields"]["fields"]
        assert node["pointsLedger"]["totalCount"] == 0


async def test_a_sees_nothing_of_b_people_and_b_nothing_of_a(api: Api) -> None:
    for who, whose in (("resident_b", "a2"), ("secretary", "b2"), ("resident", "b1")):
        result = await api.run(
            POINTS, {"id": await resident(api, whose[0], int(whose[1:]))}, as_=who
        )
        assert result.ok()["node"] is None


async def test_the_passbook_newest_first(api: Api) -> None:
    result = await api.run(POINTS, {"id": await person(api, "resident")}, as_="resident")
    ledger = result.ok()["node"]["pointsLedger"]
    movements = [edge["node"] for edge in ledger["edges"]]
    assert [(m["amount"], m["kind"]) for m in movements] == [
        (-30, "REDEEM"),
        (30, "EARN"),
        (20, "EARN"),
    ]
    assert movements[0]["memo"] == "理髮服務券 × 1"
    assert all(
        m["entry"] and sum(line["amount"] for line in m["entry"]["lines"]) == 0 for m in movements
    )


async def test_passbook_and_service_entries_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    a1 = await person_id(api, "resident")
    service = await record(api, gid("Person", a1), as_=await leader_token(api), hours=3)
    await confirm(api, service["id"], as_="resident")
    whole_model_reads.clear()
    result = await api.run(POINTS, {"id": gid("Person", a1)}, as_="resident")
    movements = [edge["node"] for edge in result.ok()["node"]["pointsLedger"]["edges"]]
    assert movements[0]["entry"]["lines"]
    assert all(line["account"]["kind"] for m in movements for line in m["entry"]["lines"])
    query = """query ($id: ID!) { node(id: $id) { ... on VolunteerService {
      ledgerEntry { points lines { amount } } } } }"""
    posted = (await api.run(query, {"id": service["id"]}, as_="resident")).ok()["node"]
    assert posted["ledgerEntry"]["points"] == 30
    assert whole_model_reads == []


# --- the ranking and the compound totals ----------------------------------------------------


def _ranking_vars(scope: str, days: int = 60, first: int | None = None) -> dict[str, Any]:
    return {
        "scope": scope,
        "from": (clock.today() - timedelta(days=days)).isoformat(),
        "to": clock.today().isoformat(),
        "first": first,
    }


async def _ranked(
    api: Api, scope: str, as_: str, **kwargs: Any
) -> list[tuple[int, int, int, str | None]]:
    result = await api.run(RANKING, _ranking_vars(scope, **kwargs), as_=as_)
    return [
        (r["rank"], r["points"], r["services"], r["person"] and r["person"]["id"])
        for r in result.ok()["volunteerRanking"]
    ]


async def test_the_ranking_of_compound_a(api: Api) -> None:
    ranked = await _ranked(api, api.ids["compound_a"], "secretary")
    people = {n: await resident(api, "a", n) for n in (2, 10, 1, 6, 27)}
    assert ranked == [
        (1, 65, 2, people[2]),
        (2, 60, 2, people[10]),
        (3, 50, 2, people[1]),
        (4, 20, 1, people[6]),
        (4, 20, 1, people[27]),  # equal points share a rank; then by person
    ]
    assert await _ranked(api, api.ids["compound_a"], await leader_token(api)) == ranked
    assert await _ranked(api, api.ids["compound_a"], "secretary", first=2) == ranked[:2]
    # Only service in the period counts: the last 19 days (a6's was 20 days ago).
    recent = await _ranked(api, api.ids["compound_a"], "secretary", days=19)
    assert [(r[1], r[3]) for r in recent] == [(30, people[10]), (25, people[2]), (20, people[27])]


async def test_the_ranking_is_scoped(api: Api) -> None:
    street = await _street(api)
    whole = await _ranked(api, street, "supervisor")
    assert [r[:2] for r in whole] == [
        (1, 65),
        (2, 60),
        (3, 55),
        (4, 50),
        (4, 50),
        (4, 50),
        (7, 20),
        (7, 20),
        (7, 20),
    ]
    # The secretary of A asking about the whole street sees only A's volunteers.
    assert await _ranked(api, street, "secretary") == await _ranked(
        api, api.ids["compound_a"], "secretary"
    )
    for who in ("resident", "property_firm"):
        assert await _ranked(api, street, who) == []
    assert await _ranked(api, api.ids["compound_a"], "resident_b") == []


async def test_a_backwards_period_is_bad_input(api: Api) -> None:
    variables = {
        **_ranking_vars(api.ids["compound_a"]),
        "from": clock.today().isoformat(),
        "to": (clock.today() - timedelta(days=1)).isoformat(),
    }
    assert (await api.run(RANKING, variables, as_="secretary")).codes == ["BAD_USER_INPUT"]


async def test_compound_totals_for_many_compounds_in_one_query(
    api: Api, statements: StatementCounter
) -> None:
    a, b = api.compound("a"), api.compound("b")
    ctx = await api.context("supervisor")
    try:
        await ctx.reader()  # the grants are read; count only the totals
        statements.reset()
        totals = await points_by_compound(ctx, [a, b])
        assert statements.count == 1
        assert totals == {a: CompoundPoints(215, 140), b: CompoundPoints(175, 125)}
        recent = await points_by_compound(
            ctx, [a, b], clock.today() - timedelta(days=9), clock.today()
        )
        # a10's patrol 9 days ago; the redemptions of 7 and 4 days ago.
        assert recent[a] == CompoundPoints(30, 110)
    finally:
        await ctx.close()
    for who, expected in (("secretary", {a}), ("resident", set()), ("resident_b", set())):
        ctx = await api.context(who)
        try:
            assert set(await points_by_compound(ctx, [a, b])) == expected
        finally:
            await ctx.close()


# --- the ledger always balances --------------------------------------------------------------


async def test_the_demo_ledger_balances(api: Api) -> None:
    assert await unbalanced_entries(api) == []
    assert await overdrawn_accounts(api) == []
    earned = await api.scalar(
        sa.select(sa.func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "EARN")
    )
    confirmed = await api.scalar(
        sa.select(sa.func.count())
        .select_from(VolunteerService)
        .where(VolunteerService.status == "CONFIRMED")
    )
    assert earned == confirmed > 0


operations = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), st.sampled_from([0.5, 1.0, 1.5, 2.0, 4.0])),
        st.tuples(st.just("redeem"), st.integers(1, 3)),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
async def test_any_sequence_of_earning_and_redeeming_keeps_the_ledger_balanced(
    api: Api, steps: list[tuple[str, float]]
) -> None:
    """Whatever happens, each entry balances, no balance goes below zero, and the balance is
    exactly what was earned less what was redeemed (a redemption it cannot afford fails)."""
    a1 = await person_id(api, "resident")
    gift = await list_reward(api, "環保袋", cost=7)
    expected = await balance(api, a1)
    for step, (kind, amount) in enumerate(steps):
        if kind == "earn":
            # A day each, clear of the demo's records: a day holds at most 24 hours.
            await earn(api, "resident", a1, amount, days_ago=40 + step)
            expected += round(amount * 10)
        else:
            quantity = int(amount)
            result = await redeem(api, gift, quantity, as_="resident")
            if expected >= 7 * quantity:
                assert not result.errors, result.errors
                expected -= 7 * quantity
            else:
                assert result.codes == ["BAD_USER_INPUT"]
        assert await balance(api, a1) == expected >= 0
    assert await unbalanced_entries(api) == []
    assert await overdrawn_accounts(api) == []
    shown = await api.run(POINTS, {"id": gid("Person", a1)}, as_="resident")
    assert shown.ok()["node"]["pointsBalance"] == expected


# --- isolation between compounds ------------------------------------------------------------


async def test_love_bank_nodes_of_one_compound_are_null_in_the_other(api: Api) -> None:
    async def ids(model: Any, compound: str) -> list[int]:
        async with api.db.read_sessions() as session:
            rows = await session.execute(
                sa.select(model.id).where(model.compound_id == api.compound(compound))
            )
            return list(rows.scalars().all())

    query = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    for model, type_name in (
        (VolunteerService, "VolunteerService"),
        (Reward, "Reward"),
        (LedgerEntry, "LedgerEntry"),
    ):
        for who, other in (("resident_b", "a"), ("resident", "b")):
            theirs = [gid(type_name, i) for i in await ids(model, other)]
            assert theirs, (type_name, other)
            result = await api.run(query, {"ids": theirs}, as_=who)
            assert result.ok()["nodes"] == [None] * len(theirs), (type_name, who)
        # Inside, the secretary of A sees all of A's.
        mine = [gid(type_name, i) for i in await ids(model, "a")]
        assert None not in (await api.run(query, {"ids": mine}, as_="secretary")).ok()["nodes"]


async def test_a_resident_lists_only_their_own_services(api: Api) -> None:
    query = "query { volunteerServices(first: 50) { totalCount edges { node { volunteer { id } status } } } }"
    mine = (await api.run(query, as_="resident")).ok()["volunteerServices"]
    me = await person(api, "resident")
    assert mine["totalCount"] == 3
    assert {e["node"]["volunteer"]["id"] for e in mine["edges"]} == {me}
    pending = (
        await api.run(
            "query ($f: VolunteerServiceFilter) { volunteerServices(filter: $f) { totalCount } }",
            {"f": {"status": "PENDING", "compound": api.ids["compound_a"]}},
            as_="secretary",
        )
    ).ok()["volunteerServices"]
    assert pending["totalCount"] == 3
    b_for_a = (
        await api.run(
            "query ($f: VolunteerServiceFilter) { volunteerServices(filter: $f) { totalCount } }",
            {"f": {"compound": api.ids["compound_b"]}},
            as_="secretary",
        )
    ).ok()["volunteerServices"]
    assert b_for_a["totalCount"] == 0


async def test_a_volunteers_day_holds_at_most_24_hours(api: Api) -> None:
    volunteer = gid("Person", await person_id(api, "resident"))
    day = (clock.today() - timedelta(days=90)).isoformat()
    await record(api, volunteer, as_="secretary", hours=20, occurredOn=day)
    input = {
        "volunteer": volunteer,
        "compound": api.ids["compound_a"],
        "activity": "再記一次",
        "hours": 5,
        "occurredOn": day,
    }
    result = await refused(api, "recordVolunteerService", input, "secretary", "BAD_USER_INPUT")
    assert "20 hours are already recorded" in result.errors[0]["message"]
    # Another day is another 24 hours.
    await record(
        api,
        volunteer,
        as_="secretary",
        hours=5,
        occurredOn=(clock.today() - timedelta(days=91)).isoformat(),
    )
