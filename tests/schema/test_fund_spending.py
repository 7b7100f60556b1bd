"""The branch spends its funds and wrong entries are reversed (經費使用, 沖正), through GraphQL with
real tokens: spending never exceeds what the branch holds; a reversal names the entry it
reverses, by whoever may record that kind, once; balances, indicators and the published
statement count both. Refusals change nothing, carry a stable reason and are audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db import clock
from db.models import Mobilisation
from schema.ids import decode_id
from tests.disclosure_helpers import NOTICE, branch, committee
from tests.funds_helpers import (
    ENTRY,
    FREE_YEAR,
    FUND_TABLES,
    balances,
    grant_input,
    ledger_sums,
    record_revenue,
    spend_input,
)
from tests.helpers import Api, gid
from tests.issue_helpers import entries_since, last_seq, ok, report
from tests.lovebank_helpers import resident_id, token_for
from tests.mutation_cases import assert_refused

TODAY = clock.today()
INDICATORS = """query ($c: ID!) { compoundIndicators(compound: $c) {
  funds { granted revenue distributed spent } } }"""


async def _refused(
    api: Api, name: str, input: dict[str, Any], as_: str, code: str
) -> dict[str, Any]:
    result = await assert_refused(api, name, input, as_=as_, code=code, tables=FUND_TABLES)
    return dict(result.errors[0])


async def _spend(api: Api, as_: str = "secretary", **fields: Any) -> dict[str, Any]:
    return await ok(
        api, "spendBranchFunds", await spend_input(api, **fields), as_=as_, selection=ENTRY
    )


async def _reverse(api: Api, entry: str, as_: str, reason: str = "金額記錯") -> dict[str, Any]:
    return await ok(
        api, "reverseFundEntry", {"entry": entry, "reason": reason}, as_=as_, selection=ENTRY
    )


async def _node(api: Api, entry: str) -> dict[str, Any]:
    query = "query ($id: ID!) { node(id: $id) { ... on FundEntry { reversedBy { id memo } } } }"
    return dict((await api.run(query, {"id": entry}, as_="secretary")).ok()["node"])


# --- spending ---------------------------------------------------------------------------------


async def test_the_secretary_spends_the_branch_s_funds_for_an_issue(api: Api) -> None:
    before = await balances(api)
    issue = await report(api)
    seq = await last_seq(api)
    entry = await _spend(api, amount=12_345, issue=issue["id"])
    assert (entry["kind"], entry["category"], entry["memo"]) == (
        "SPENDING",
        "PARTY_ACTIVITIES",
        "主題黨日活動物資",
    )
    assert entry["body"]["id"] == await branch(api)
    assert sorted((line["account"], line["amount"]) for line in entry["lines"]) == [
        ("BRANCH_FUNDS", -12_345),
        ("SPENT", 12_345),
    ]
    after = await balances(api)
    assert after["branchFunds"] == before["branchFunds"] - 12_345
    assert after["spent"] == before["spent"] + 12_345
    assert after["granted"] == before["granted"]
    (audit,) = await entries_since(api, seq)
    assert (audit.operation, audit.resource_type, audit.outcome, audit.role) == (
        "spendBranchFunds",
        "fund_entry",
        "SUCCESS",
        "secretary",
    )
    changed = {c["field"]: c for c in audit.changes}
    assert changed["issue_id"]["after"] == decode_id(issue["id"], "Issue")
    assert (changed["balance"]["before"], changed["balance"]["after"]) == (
        before["branchFunds"],
        before["branchFunds"] - 12_345,
    )
    query = "query ($id: ID!) { node(id: $id) { ... on FundEntry { issue { id } } } }"
    found = (await api.run(query, {"id": entry["id"]}, as_="secretary")).ok()["node"]
    assert found["issue"]["id"] == issue["id"]


async def test_spending_for_the_branch_s_own_call_to_action(api: Api) -> None:
    branch_a = decode_id(await branch(api), "Organisation")
    call = await api.scalar(sa.select(Mobilisation.id).where(Mobilisation.sender_id == branch_a))
    entry = await ok(
        api,
        "spendBranchFunds",
        await spend_input(api, mobilisation=gid("Mobilisation", int(call))),
        as_="secretary",
        selection="id mobilisation { id }",
    )
    assert entry["mobilisation"]["id"] == gid("Mobilisation", int(call))
    branch_b = decode_id(await branch(api, "b"), "Organisation")
    other = await api.scalar(sa.select(Mobilisation.id).where(Mobilisation.sender_id == branch_b))
    error = await _refused(
        api,
        "spendBranchFunds",
        await spend_input(api, mobilisation=gid("Mobilisation", int(other))),
        "secretary",
        "BAD_USER_INPUT",
    )
    assert "was not sent by" in error["message"]


async def test_no_more_is_spent_than_the_branch_holds(api: Api) -> None:
    held = (await balances(api))["branchFunds"]
    assert held > 0
    error = await _refused(
        api,
        "spendBranchFunds",
        await spend_input(api, amount=held + 1),
        "secretary",
        "BAD_USER_INPUT",
    )
    assert error["extensions"]["reason"] == "FUNDS_INSUFFICIENT"
    assert f"{held // 100}.{held % 100:02d} yuan" in error["message"]
    await _spend(api, amount=held)
    assert (await balances(api))["branchFunds"] == 0
    assert await ledger_sums(api) == (0, 0)


async def test_only_the_branch_s_own_people_spend_and_only_where_it_serves(api: Api) -> None:
    # A cross-appointed branch committee member (a3) may; a board member (a5) and the
    # supervisor above may not, and B's secretary does not even see A's branch.
    await _spend(api, as_="committee_member")
    board_member = await token_for(api, await resident_id(api, "a", 5))
    for who in (board_member, "supervisor", "resident"):
        error = await _refused(api, "spendBranchFunds", await spend_input(api), who, "FORBIDDEN")
        assert "spend this branch's funds" in error["message"]
    await _refused(api, "spendBranchFunds", await spend_input(api), "secretary_b", "NOT_FOUND")
    for fields, words in (
        ({"branch": await committee(api)}, "Only a party branch spends"),
        ({"category": "PARKING"}, "PARTY_ACTIVITIES"),
        ({"purpose": " "}, "purpose"),
        ({"issue": (await report(api, as_="resident_b", compound="b"))["id"]}, "not one of"),
    ):
        error = await _refused(
            api, "spendBranchFunds", await spend_input(api, **fields), "secretary", "BAD_USER_INPUT"
        )
        assert words in error["message"], (fields, error)


# --- reversals --------------------------------------------------------------------------------


async def test_a_wrong_revenue_entry_is_reversed_once(api: Api) -> None:
    before = await balances(api)
    indicators_before = await api.run(INDICATORS, {"c": api.ids["compound_a"]}, as_="secretary")
    wrong = await record_revenue(api, amount=50_000)
    seq = await last_seq(api)
    reversal = await _reverse(api, wrong["id"], "committee_member")
    assert (reversal["kind"], reversal["category"], reversal["amount"], reversal["memo"]) == (
        "REVERSAL",
        "PARKING",
        50_000,
        "金額記錯",
    )
    assert reversal["reverses"]["id"] == wrong["id"]
    assert sorted((line["account"], line["amount"]) for line in reversal["lines"]) == [
        ("PUBLIC_REVENUE", -50_000),
        ("REVENUE_SOURCES", 50_000),
    ]
    # The original stands, and shows it was reversed.
    assert (await _node(api, wrong["id"]))["reversedBy"] == {
        "id": reversal["id"],
        "memo": "金額記錯",
    }
    assert await balances(api) == before
    indicators_after = await api.run(INDICATORS, {"c": api.ids["compound_a"]}, as_="secretary")
    assert indicators_after.ok() == indicators_before.ok()
    (audit,) = await entries_since(api, seq)
    assert (audit.operation, audit.outcome, audit.resource_type) == (
        "reverseFundEntry",
        "SUCCESS",
        "fund_entry",
    )
    assert {c["field"]: c["after"] for c in audit.changes}["reverses_id"] == decode_id(
        wrong["id"], "FundEntry"
    )
    again = {"entry": wrong["id"], "reason": "再沖一次"}
    error = await _refused(api, "reverseFundEntry", again, "committee_member", "BAD_USER_INPUT")
    assert error["extensions"]["reason"] == "ALREADY_REVERSED"
    back = {"entry": reversal["id"], "reason": "沖正有誤"}
    error = await _refused(api, "reverseFundEntry", back, "committee_member", "BAD_USER_INPUT")
    assert error["extensions"]["reason"] == "REVERSAL_NOT_REVERSIBLE"


async def test_an_entry_s_lines_accounts_and_reversal_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    wrong = await record_revenue(api, amount=50_000)
    reversal = await _reverse(api, wrong["id"], "committee_member")
    whole_model_reads.clear()
    query = """query ($id: ID!) { node(id: $id) { ... on FundEntry {
      lines { amount account } reversedBy { id lines { amount account } } } } }"""
    node = (await api.run(query, {"id": wrong["id"]}, as_="secretary")).ok()["node"]
    assert sorted((line["account"], line["amount"]) for line in node["lines"]) == [
        ("PUBLIC_REVENUE", 50_000),
        ("REVENUE_SOURCES", -50_000),
    ]
    assert node["reversedBy"]["id"] == reversal["id"]
    assert sorted(line["amount"] for line in node["reversedBy"]["lines"]) == [-50_000, 50_000]
    assert whole_model_reads == []


async def test_only_who_may_record_the_kind_reverses_it(api: Api) -> None:
    revenue = await record_revenue(api)
    spent = await _spend(api)
    reverse = {"entry": revenue["id"], "reason": "金額記錯"}
    # The secretary is not on the owners' committee; the supervisor records no revenue.
    for who in ("secretary", "supervisor"):
        error = await _refused(api, "reverseFundEntry", reverse, who, "FORBIDDEN")
        assert "reverse this fund entry" in error["message"]
    await _refused(api, "reverseFundEntry", reverse, "committee_member_b", "NOT_FOUND")
    # A spending is reversed by the branch, not by the street above it.
    undo = {"entry": spent["id"], "reason": "重複記賬"}
    await _refused(api, "reverseFundEntry", undo, "supervisor", "FORBIDDEN")
    await _reverse(api, spent["id"], "secretary", "重複記賬")
    await _refused(
        api,
        "reverseFundEntry",
        {"entry": revenue["id"], "reason": " "},
        "committee_member",
        "BAD_USER_INPUT",
    )


async def test_a_wrong_grant_is_reversed_by_the_street_and_granted_again(api: Api) -> None:
    wrong = await ok(
        api, "grantFunds", await grant_input(api, amount=20_000), as_="supervisor", selection="id"
    )
    undo = {"entry": wrong["id"], "reason": "金額應為2000元"}
    await _refused(api, "reverseFundEntry", undo, "secretary", "FORBIDDEN")
    await _reverse(api, wrong["id"], "supervisor", "金額應為2000元")
    # The running fund for the year may now be granted again, with the right amount.
    right = await ok(api, "grantFunds", await grant_input(api), as_="supervisor", selection=ENTRY)
    assert (right["year"], right["amount"]) == (FREE_YEAR, 200_000)
    # Once the branch has spent the money, the grant cannot be taken back.
    await _spend(api, amount=(await balances(api))["branchFunds"])
    undo = {"entry": right["id"], "reason": "撥錯了"}
    error = await _refused(api, "reverseFundEntry", undo, "supervisor", "BAD_USER_INPUT")
    assert error["extensions"]["reason"] == "FUNDS_INSUFFICIENT"
    assert await ledger_sums(api) == (0, 0)


async def test_the_statement_discloses_spending_net_of_reversals(api: Api) -> None:
    await _spend(api, amount=30_000, category="RESIDENT_SERVICES")
    wrong = await _spend(api, amount=7_000, category="RESIDENT_SERVICES")
    await _reverse(api, wrong["id"], "secretary")
    notice = await ok(
        api,
        "publishFundStatement",
        {"publisher": await branch(api)},
        as_="secretary",
        selection=NOTICE,
    )
    assert "為民服務：300.00" in notice["body"]
    held = (await balances(api))["branchFunds"]
    assert f"結餘：{held // 100}.{held % 100:02d}" in notice["body"]
