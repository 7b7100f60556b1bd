"""Helpers for the fund tests: the demo's bodies, granting, recording and distributing through
the API, balances, and the tables a refusal must leave alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import clock
from db.models import FundAccount, FundEntry, FundLine, Notice
from tests.disclosure_helpers import branch, committee
from tests.helpers import Api
from tests.issue_helpers import ok

FUND_TABLES: tuple[type[SQLModel], ...] = (FundEntry, FundLine, FundAccount, Notice)
ENTRY = """id kind category amount amountYuan year occurredOn memo
lines { amount account } compound { id } ledger { id } body { id } recordedBy { id }
reverses { id } reversedBy { id }"""
BALANCES = """query ($c: ID!) { fundBalances(compound: $c) {
  branchFunds publicRevenue granted revenue distributed spent compound { id } } }"""
# A running fund year the demo leaves free: the demo grants this year's.
FREE_YEAR = clock.today().year + 1


async def grant_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "branch": await branch(api, compound),
        "category": "RUNNING",
        "year": FREE_YEAR,
        **fields,
    }


async def revenue_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "body": await committee(api, compound),
        "category": "PARKING",
        "amount": 50_000,
        "memo": "臨時停車收費",
        **fields,
    }


async def distribution_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "body": await committee(api, compound),
        "category": "MAINTENANCE",
        "amount": 20_000,
        "memo": "路燈維修",
        **fields,
    }


async def spend_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "branch": await branch(api, compound),
        "category": "PARTY_ACTIVITIES",
        "amount": 10_000,
        "purpose": "主題黨日活動物資",
        **fields,
    }


async def record_revenue(
    api: Api, compound: str = "a", as_: str = "committee_member", **fields: Any
) -> dict[str, Any]:
    return await ok(
        api,
        "recordPublicRevenue",
        await revenue_input(api, compound, **fields),
        as_=as_,
        selection=ENTRY,
    )


def fen(yuan: str) -> int:
    """A Decimal amount in yuan as the API sends it ("3000.00") in whole fen, exactly."""
    amount = Decimal(yuan) * 100
    assert amount == amount.to_integral_value(), yuan
    return int(amount)


async def balances(api: Api, compound: str = "a", as_: str = "secretary") -> dict[str, Any] | None:
    """The compound's fundBalances, in fen (None when AS_ may not read them)."""
    result = await api.run(BALANCES, {"c": api.ids[f"compound_{compound}"]}, as_=as_)
    found: dict[str, Any] | None = result.ok()["fundBalances"]
    if found is None:
        return None
    return {key: value if key == "compound" else fen(value) for key, value in found.items()}


async def ledger_sums(api: Api) -> tuple[int, int]:
    """(sum of every fund line, count of entries whose lines do not sum to zero)."""
    total = await api.scalar(sa.select(sa.func.coalesce(sa.func.sum(FundLine.amount), 0)))
    unbalanced = await api.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(FundLine.entry_id)
            .group_by(FundLine.entry_id)
            .having(sa.func.sum(FundLine.amount) != 0)
            .subquery()
        )
    )
    return int(total), int(unbalanced)
