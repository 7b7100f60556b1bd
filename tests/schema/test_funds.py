"""Funds (經費與公共收益) through GraphQL with real tokens: the street's officer grants a branch
its start-up and running funds; the owners' committee (or the branch) records public revenue
and pays it out, never more than it holds; the ledger is read by the compound's bodies and
supervisors, its statements by residents as FINANCES notices. Refusals change nothing and are
audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from db import clock
from db.models import FundEntry
from schema.ids import decode_id
from tests.disclosure_helpers import NOTICE, body, branch, committee
from tests.funds_helpers import (
    ENTRY,
    FREE_YEAR,
    FUND_TABLES,
    balances,
    distribution_input,
    fen,
    grant_input,
    ledger_sums,
    record_revenue,
    revenue_input,
)
from tests.helpers import Api, gid
from tests.issue_helpers import COMMUNITY, entries_since, last_seq, ok, org, person
from tests.lovebank_helpers import resident_id, token_for
from tests.mutation_cases import assert_refused

TODAY = clock.today()
LIST = """query ($f: FundEntryFilter, $after: String) {
  fundEntries(filter: $f, first: 2, after: $after) {
    totalCount edges { cursor node { id kind category amount } }
    pageInfo { hasNextPage endCursor } } }"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on FundEntry { amount } } }"


async def _refused(api: Api, name: str, input: dict[str, Any], as_: str, code: str) -> str:
    result = await assert_refused(api, name, input, as_=as_, code=code, tables=FUND_TABLES)
    return str(result.errors[0]["message"])


async def _grant(api: Api, as_: str = "supervisor", **fields: Any) -> dict[str, Any]:
    return await ok(api, "grantFunds", await grant_input(api, **fields), as_=as_, selection=ENTRY)


# --- grants -----------------------------------------------------------------------------------


async def test_the_street_officer_grants_a_running_fund(api: Api) -> None:
    before = await balances(api)
    seq = await last_seq(api)
    entry = await _grant(api, memo="下一年度運轉經費")
    assert (entry["kind"], entry["category"], entry["year"]) == ("GRANT", "RUNNING", FREE_YEAR)
    # The article's running fund: 2,000 yuan a year, when no amount is given.
    assert (entry["amount"], entry["amountYuan"]) == (200_000, "2000.00")
    assert fen(entry["amountYuan"]) == entry["amount"]
    assert entry["occurredOn"] == TODAY.isoformat()
    assert entry["body"]["id"] == await branch(api)
    assert entry["recordedBy"]["id"] == await person(api, "supervisor")
    assert sorted((line["account"], line["amount"]) for line in entry["lines"]) == [
        ("BRANCH_FUNDS", 200_000),
        ("STREET_GRANTS", -200_000),
    ]
    after = await balances(api)
    assert after["branchFunds"] == before["branchFunds"] + 200_000
    assert after["granted"] == before["granted"] + 200_000
    (audit,) = await entries_since(api, seq)
    assert (audit.operation, audit.resource_type, audit.outcome) == (
        "grantFunds",
        "fund_entry",
        "SUCCESS",
    )
    assert audit.resource_id == str(decode_id(entry["id"], "FundEntry"))
    assert audit.compound_id == api.compound("a")
    assert {c["field"] for c in audit.changes} >= {"amount", "category", "year", "memo"}


async def test_a_community_officer_grants_too(api: Api) -> None:
    officer = await resident_id(api, "a", 22)
    await ok(
        api,
        "appointPosition",
        {
            "person": gid("Person", officer),
            "organisation": await org(api, COMMUNITY),
            "title": "STREET_OFFICER",
        },
        as_="admin",
        selection="id",
    )
    entry = await _grant(api, as_=await token_for(api, officer), amount=150_000)
    assert entry["amount"] == 150_000


async def test_the_branch_never_grants_to_itself(api: Api) -> None:
    message = await _refused(api, "grantFunds", await grant_input(api), "secretary", "FORBIDDEN")
    assert "grant funds to this branch" in message


async def test_a_start_up_fund_is_granted_once_and_a_running_fund_once_a_year(api: Api) -> None:
    # The demo granted A's branch its start-up fund and this year's running fund.
    for fields, words in (
        ({"category": "START_UP", "year": None}, "start-up fund on"),
        ({"year": TODAY.year}, f"running fund for {TODAY.year} on"),
    ):
        message = await _refused(
            api, "grantFunds", await grant_input(api, **fields), "supervisor", "BAD_USER_INPUT"
        )
        assert words in message, message
    await _grant(api)
    message = await _refused(
        api, "grantFunds", await grant_input(api), "supervisor", "BAD_USER_INPUT"
    )
    assert f"running fund for {FREE_YEAR}" in message


async def test_bad_grants_are_refused_with_reasons(api: Api) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"category": "PARKING"}, "START_UP, RUNNING"),
        ({"amount": 0}, "more than 0"),
        ({"amount": 100_000_001}, "at most"),
        ({"grantedOn": (TODAY + timedelta(days=1)).isoformat()}, "ahead of today"),
        ({"grantedOn": (TODAY - timedelta(days=400)).isoformat()}, "days back"),
        ({"year": TODAY.year + 5}, "running fund granted on"),
        ({"branch": await committee(api)}, "granted to a party branch"),
    ]
    for fields, words in cases:
        message = await _refused(
            api, "grantFunds", await grant_input(api, **fields), "supervisor", "BAD_USER_INPUT"
        )
        assert words in message, (fields, message)


# --- public revenue and its distribution ------------------------------------------------------


async def test_the_committee_records_revenue_and_pays_it_out(api: Api) -> None:
    before = await balances(api)
    received = await record_revenue(api, amount=88_800)
    assert (received["kind"], received["category"], received["amountYuan"]) == (
        "REVENUE",
        "PARKING",
        "888.00",
    )
    assert received["body"]["id"] == await committee(api)
    paid = await ok(
        api,
        "distributeRevenue",
        await distribution_input(api, amount=30_000, category="OWNER_DIVIDEND"),
        as_="committee_member",
        selection=ENTRY,
    )
    assert sorted((line["account"], line["amount"]) for line in paid["lines"]) == [
        ("DISTRIBUTED", 30_000),
        ("PUBLIC_REVENUE", -30_000),
    ]
    after = await balances(api)
    assert after["publicRevenue"] == before["publicRevenue"] + 88_800 - 30_000
    assert after["revenue"] == before["revenue"] + 88_800
    assert after["distributed"] == before["distributed"] + 30_000
    assert await ledger_sums(api) == (0, 0)


async def test_the_branch_records_for_itself_and_a_cross_appointed_member_for_either(
    api: Api,
) -> None:
    by_secretary = await record_revenue(api, as_="secretary", body=await branch(api))
    assert by_secretary["body"]["id"] == await branch(api)
    # a3 sits on the branch committee and on the owners' committee.
    for recorder in (await branch(api), await committee(api)):
        entry = await record_revenue(api, body=recorder)
        assert entry["body"]["id"] == recorder


async def test_only_members_of_the_body_keep_its_accounts(api: Api) -> None:
    # a5 is on the supervisory board: a committee member's role, but not of this committee.
    board_member = await token_for(api, await resident_id(api, "a", 5))
    await _refused(api, "recordPublicRevenue", await revenue_input(api), board_member, "FORBIDDEN")
    await _refused(api, "recordPublicRevenue", await revenue_input(api), "resident", "FORBIDDEN")
    await _refused(api, "recordPublicRevenue", await revenue_input(api), "supervisor", "FORBIDDEN")
    # The secretary is not on the owners' committee.
    await _refused(
        api, "distributeRevenue", await distribution_input(api), "secretary", "FORBIDDEN"
    )
    # B's committee cannot even see A's.
    await _refused(
        api, "recordPublicRevenue", await revenue_input(api), "committee_member_b", "NOT_FOUND"
    )
    message = await _refused(
        api,
        "recordPublicRevenue",
        await revenue_input(api, body=await body(api, "a", "SUPERVISORY_BOARD")),
        "committee_member",
        "BAD_USER_INPUT",
    )
    assert "owners' committee or party branch" in message


async def test_revenue_and_distribution_take_their_own_categories(api: Api) -> None:
    message = await _refused(
        api,
        "recordPublicRevenue",
        await revenue_input(api, category="OWNER_DIVIDEND"),
        "committee_member",
        "BAD_USER_INPUT",
    )
    assert "ADVERTISING" in message
    message = await _refused(
        api,
        "distributeRevenue",
        await distribution_input(api, category="PARKING"),
        "committee_member",
        "BAD_USER_INPUT",
    )
    assert "OWNER_DIVIDEND" in message


async def test_no_more_is_paid_out_than_is_held(api: Api) -> None:
    held = (await balances(api))["publicRevenue"]
    assert held > 0  # the demo's revenue less what it paid out
    message = await _refused(
        api,
        "distributeRevenue",
        await distribution_input(api, amount=held + 1),
        "committee_member",
        "BAD_USER_INPUT",
    )
    assert f"{held // 100}.{held % 100:02d} yuan" in message
    await ok(
        api,
        "distributeRevenue",
        await distribution_input(api, amount=held),
        as_="committee_member",
        selection="id",
    )
    assert (await balances(api))["publicRevenue"] == 0
    await _refused(
        api,
        "distributeRevenue",
        await distribution_input(api, amount=1),
        "committee_member",
        "BAD_USER_INPUT",
    )


# --- reading the ledger -----------------------------------------------------------------------


async def test_who_reads_the_ledger(api: Api) -> None:
    a = {"compound": api.ids["compound_a"]}
    for who in ("secretary", "committee_member", "supervisor", "admin"):
        assert (await api.run(LIST, {"f": a}, as_=who)).ok()["fundEntries"]["totalCount"] > 0, who
        assert (await balances(api, as_=who))["granted"] == 500_000, who
    for who in ("resident", "property_firm", "secretary_b", "partner"):
        result = await api.run(LIST, {"f": a}, as_=who)
        assert result.ok()["fundEntries"]["totalCount"] == 0, who
        assert (await balances(api, as_=who)) is None, who
    entry = await api.scalar(
        sa.select(FundEntry.id).where(FundEntry.compound_id == api.compound("a")).limit(1)
    )
    node = {"id": gid("FundEntry", int(entry))}
    assert (await api.run(NODE, node, as_="secretary")).ok()["node"] is not None
    for who in ("resident", "secretary_b", "committee_member_b"):
        assert (await api.run(NODE, node, as_=who)).ok()["node"] is None, who


async def test_the_supervisor_reads_both_compounds_and_pages_by_keyset(api: Api) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = (await api.run(LIST, {"after": after}, as_="supervisor")).ok()["fundEntries"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]
    ids = [decode_id(i, "FundEntry") for i in seen]
    assert ids == sorted(ids, reverse=True)
    compounds = await api.scalar(
        sa.select(sa.func.count(sa.distinct(FundEntry.compound_id))).where(FundEntry.id.in_(ids))
    )
    assert compounds == 2


async def test_the_list_filters(api: Api) -> None:
    query = """query ($f: FundEntryFilter) { fundEntries(filter: $f, first: 100) {
      edges { node { kind category year compound { id } } } } }"""
    for condition, check in (
        ({"kind": "DISTRIBUTION"}, lambda n: n["kind"] == "DISTRIBUTION"),
        ({"category": "PARKING"}, lambda n: n["category"] == "PARKING"),
        ({"year": TODAY.year}, lambda n: n["year"] == TODAY.year),
        (
            {"compound": api.ids["compound_b"]},
            lambda n: n["compound"]["id"] == api.ids["compound_b"],
        ),
    ):
        nodes = [
            e["node"]
            for e in (await api.run(query, {"f": condition}, as_="supervisor")).ok()["fundEntries"][
                "edges"
            ]
        ]
        assert nodes and all(check(n) for n in nodes), condition


# --- statements as notices --------------------------------------------------------------------


async def test_a_fund_statement_is_published_to_the_residents(api: Api) -> None:
    await record_revenue(api, amount=123_456, category="ADVERTISING")
    notice = await ok(
        api,
        "publishFundStatement",
        {"publisher": await committee(api)},
        as_="committee_member",
        selection=NOTICE,
    )
    assert (notice["kind"], notice["shownToday"]) == ("FINANCES", True)
    assert notice["publisher"]["id"] == await committee(api)
    assert f"{TODAY.year}年度經費及公共收益" in notice["title"]
    held = (await balances(api))["publicRevenue"]
    assert f"結餘：{held // 100}.{held % 100:02d}" in notice["body"]
    # Residents read it as any notice, and mark it read.
    shown = await api.run(NODE_NOTICE, {"id": notice["id"]}, as_="resident")
    assert shown.ok()["node"]["body"] == notice["body"]
    await ok(api, "markNoticeRead", {"notice": notice["id"]}, as_="resident", selection="id")


NODE_NOTICE = "query ($id: ID!) { node(id: $id) { id ... on Notice { kind body } } }"


async def test_residents_and_other_bodies_do_not_publish_statements(api: Api) -> None:
    await _refused(
        api, "publishFundStatement", {"publisher": await committee(api)}, "resident", "FORBIDDEN"
    )
    # The secretary is a member of the branch, not of the owners' committee.
    await _refused(
        api, "publishFundStatement", {"publisher": await committee(api)}, "secretary", "FORBIDDEN"
    )
    message = await _refused(
        api,
        "publishFundStatement",
        {"publisher": await committee(api), "year": TODAY.year + 1},
        "committee_member",
        "BAD_USER_INPUT",
    )
    assert "covers a year" in message


# --- indicators -------------------------------------------------------------------------------


async def test_indicators_count_the_year_s_funds_for_those_who_read_them(api: Api) -> None:
    query = """query ($c: ID!) { indicatorsOfCompound(compound: $c) {
      funds { granted revenue distributed } } }"""
    variables = {"c": api.ids["compound_a"]}

    async def funds(who: str) -> Any:
        return (await api.run(query, variables, as_=who)).ok()["indicatorsOfCompound"]["funds"]

    before = await funds("secretary")
    await record_revenue(api, amount=7_050)
    after = await funds("secretary")
    assert fen(after["revenue"]) == fen(before["revenue"]) + 7_050
    assert (after["granted"], after["distributed"]) == (before["granted"], before["distributed"])
    assert await funds("resident") is None


async def test_balances_are_kept_per_compound(api: Api) -> None:
    result = await api.run(
        "query ($c: ID!) { fundBalances(compound: $c) { granted } }",
        {"c": await branch(api)},
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "per compound" in result.errors[0]["message"]
