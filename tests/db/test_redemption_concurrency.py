"""Real concurrency on one balance: twenty redemptions by one person at once, each request on
its own connections and committing, against a balance that covers only some of them. Exactly
the affordable ones succeed and the balance never goes below zero, because a redemption locks
the person's points account before it reads the balance.

Without that lock PostgreSQL lets several redemptions read the same balance and all pass the
check: the last test removes the lock and shows the overdraw (on SQLite the write transaction,
begun IMMEDIATE, serialises writers anyway, so there it cannot show).

These commit, so the rows they make are deleted afterwards (their audit entries stay: the log
is append-only, and no test counts it absolutely).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from db.engine import Database
from db.models import LedgerEntry, LedgerLine, PointsAccount, Reward, VolunteerService
from resolvers.love_bank import rewards
from tests.conftest import SECRET_KEY
from tests.helpers import Api, Result
from tests.issue_helpers import entries_since, last_seq, person_id
from tests.lovebank_helpers import (
    balance,
    earn,
    list_reward,
    overdrawn_accounts,
    redeem,
    unbalanced_entries,
)

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

CALLERS = 20
# Deleted in this order afterwards: lines, then what they point at.
MADE = (LedgerLine, LedgerEntry, VolunteerService, Reward, PointsAccount)


@pytest.fixture
async def bank(engine: AsyncEngine, demo: dict[str, Any]) -> AsyncIterator[Api]:
    """An Api over the real engine: every request its own connections, every write committed.
    The love-bank rows made through it are deleted afterwards."""
    db = Database.from_engine(engine)
    api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
    marks: dict[type[SQLModel], int] = {}
    async with db.read_sessions() as session:
        for model in MADE:
            id_column: Any = model.id  # type: ignore[attr-defined]
            marks[model] = (await session.execute(sa.select(sa.func.max(id_column)))).scalar() or 0
    try:
        yield api
    finally:
        async with db.write() as session:
            for model in MADE:
                id_column = model.id  # type: ignore[attr-defined]
                await session.execute(sa.delete(model).where(id_column > marks[model]))


async def _race(api: Api, reward_ids: list[str]) -> list[Result]:
    calls = [
        redeem(api, reward_ids[n % len(reward_ids)], 1, as_="resident") for n in range(CALLERS)
    ]
    return list(await asyncio.wait_for(asyncio.gather(*calls), timeout=120))


async def _affordable_setup(api: Api) -> tuple[int, int, int, list[str]]:
    """(person, balance, cost, two unlimited rewards) with the balance covering 7 to 13 of them."""
    a1 = await person_id(api, "resident")
    await earn(api, "resident", a1, 3)
    start = await balance(api, a1)
    cost = start // 7
    assert cost >= 1 and 1 <= start // cost < CALLERS
    gifts = [await list_reward(api, name, cost=cost) for name in ("環保袋", "雨傘")]
    return a1, start, cost, gifts


async def test_twenty_concurrent_redemptions_never_overdraw(bank: Api) -> None:
    api = bank
    a1, start, cost, gifts = await _affordable_setup(api)
    affordable = start // cost
    seq = await last_seq(api)

    results = await _race(api, gifts)

    won = [r for r in results if not r.errors]
    lost = [r for r in results if r.errors]
    assert len(won) == affordable, [r.codes for r in results]
    assert all(r.codes == ["BAD_USER_INPUT"] for r in lost), [r.errors for r in lost]
    assert all("You have" in r.errors[0]["message"] for r in lost)
    assert await balance(api, a1) == start - affordable * cost >= 0
    assert await unbalanced_entries(api) == []
    assert await overdrawn_accounts(api) == []
    audit = [e for e in await entries_since(api, seq) if e.operation == "redeemPoints"]
    assert Counter(e.outcome for e in audit) == {
        "SUCCESS": affordable,
        "REJECTED": CALLERS - affordable,
    }
    # The balances the successes recorded step down one redemption at a time, never below zero.
    steps = [
        (c["before"], c["after"])
        for e in audit
        if e.outcome == "SUCCESS"
        for c in e.changes
        if c["field"] == "balance"
    ]
    assert sorted(steps) == sorted(
        (start - n * cost, start - (n + 1) * cost) for n in range(affordable)
    )


async def test_twenty_concurrent_redemptions_never_oversell_the_stock(bank: Api) -> None:
    api = bank
    a1 = await person_id(api, "resident")
    await earn(api, "resident", a1, 5)
    start = await balance(api, a1)
    gift = await list_reward(api, "紀念章", cost=1, stock=3)

    results = await _race(api, [gift])

    assert sum(1 for r in results if not r.errors) == 3
    assert all("Only" in r.errors[0]["message"] for r in results if r.errors)
    async with api.db.read_sessions() as session:
        stock = (
            await session.execute(sa.select(Reward.stock).where(Reward.name == "紀念章"))
        ).scalar()
    assert stock == 0
    assert await balance(api, a1) == start - 3


async def test_without_the_lock_postgresql_overdraws(
    bank: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof that the first test would catch a missing lock: take it away and watch."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite's IMMEDIATE write transactions serialise redemptions even unlocked")
    api = bank
    a1, start, cost, gifts = await _affordable_setup(api)

    async def no_lock(*_: object) -> None:
        return None

    monkeypatch.setattr(rewards, "lock_points", no_lock)
    seq = await last_seq(api)
    results = await _race(api, gifts)

    won = sum(1 for r in results if not r.errors)
    assert won > start // cost
    assert await balance(api, a1) < 0
    assert await overdrawn_accounts(api) != []
    # Each request was still audited once, in one unbroken chain.
    chain = await entries_since(api, seq)
    assert [e.seq for e in chain] == list(range(seq + 1, seq + 1 + len(chain)))
    assert sum(1 for e in chain if e.operation == "redeemPoints") == CALLERS
