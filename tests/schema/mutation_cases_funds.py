"""Cases of the every-mutation-is-audited walk (and so of the isolation matrix's mutation
half) for funds, all in compound A."""

from __future__ import annotations

from typing import Any

from db.models import FundEntry, Notice
from tests.disclosure_helpers import committee
from tests.funds_helpers import (
    FUND_TABLES,
    distribution_input,
    grant_input,
    record_revenue,
    revenue_input,
    spend_input,
)
from tests.helpers import Api
from tests.mutation_cases import Case


async def _grant(api: Api) -> dict[str, Any]:
    return await grant_input(api, memo="年度運轉經費")


async def _revenue(api: Api) -> dict[str, Any]:
    return await revenue_input(api)


async def _distribute(api: Api) -> dict[str, Any]:
    await record_revenue(api)  # so the public account holds what is paid out
    return await distribution_input(api)


async def _spend(api: Api) -> dict[str, Any]:
    return await spend_input(api)


async def _reverse(api: Api) -> dict[str, Any]:
    entry = await record_revenue(api)
    return {"entry": entry["id"], "reason": "金額記錯"}


async def _statement(api: Api) -> dict[str, Any]:
    return {"publisher": await committee(api)}


FUND_CASES: dict[str, Case] = {
    # The street officer grants from above; the branch's own secretary may not grant itself.
    "grantFunds": Case("supervisor", "secretary", _grant, FundEntry, FUND_TABLES),
    # committee_member (a3) sits on the owners' committee; a resident keeps no accounts.
    "recordPublicRevenue": Case("committee_member", "resident", _revenue, FundEntry, FUND_TABLES),
    # The supervisor reads the ledger but pays nothing out of a compound's revenue.
    "distributeRevenue": Case(
        "committee_member", "supervisor", _distribute, FundEntry, FUND_TABLES
    ),
    # The branch's secretary spends its funds; the supervisor reads them but spends nothing.
    "spendBranchFunds": Case("secretary", "supervisor", _spend, FundEntry, FUND_TABLES),
    # Whoever records revenue for the committee reverses it; the supervisor may not.
    "reverseFundEntry": Case("committee_member", "supervisor", _reverse, FundEntry, FUND_TABLES),
    "publishFundStatement": Case("committee_member", "resident", _statement, Notice, FUND_TABLES),
}
