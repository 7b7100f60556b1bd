"""Real concurrency on a compound's public revenue: twelve distributions at once, each request
on its own connections and committing, against a balance that covers only some of them.
Exactly the affordable ones succeed and PUBLIC_REVENUE never goes below zero, because posting
locks the account money leaves before it reads its balance (resolvers/funds/ledger.py).

Without that lock PostgreSQL lets several distributions read the same balance and all pass the
check: the last test removes the lock and shows the overdraw (on SQLite the write transaction,
begun IMMEDIATE, serialises writers anyway, so there it cannot show).

These commit, so the entries and lines they make are deleted afterwards (their audit entries
stay: the log is append-only, and no test counts it absolutely).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import Database
from db.models import FundEntry, FundLine
from resolvers.funds import ledger
from tests.conftest import SECRET_KEY
from tests.funds_helpers import balances, distribution_input, ledger_sums
from tests.helpers import Api, Result
from tests.issue_helpers import entries_since, last_seq, mutate

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

CALLERS = 12
AFFORDABLE = 5


@pytest.fixture
async def treasury(engine: AsyncEngine, demo: dict[str, Any]) -> AsyncIterator[Api]:
    """An Api over the real engine: every request its own connections, every write committed.
    The fund entries and lines made through it are deleted afterwards."""
    db = Database.from_engine(engine)
    api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
    async with db.read_sessions() as session:
        mark = (await session.execute(sa.select(sa.func.max(FundEntry.id)))).scalar() or 0
    try:
        yield api
    finally:
        async with db.write() as session:
            ours = sa.select(FundEntry.id).where(FundEntry.id > mark)  # type: ignore[arg-type]
            await session.execute(sa.delete(FundLine).where(FundLine.entry_id.in_(ours)))  # type: ignore[attr-defined]
            await session.execute(sa.delete(FundEntry).where(FundEntry.id > mark))  # type: ignore[arg-type,operator]


async def _race(api: Api, amount: int) -> list[Result]:
    input = await distribution_input(api, amount=amount)
    calls = [
        mutate(api, "distributeRevenue", input, as_="committee_member", selection="id")
        for _ in range(CALLERS)
    ]
    return list(await asyncio.wait_for(asyncio.gather(*calls), timeout=120))


async def test_concurrent_distributions_never_overdraw(treasury: Api) -> None:
    api = treasury
    held = (await balances(api))["publicRevenue"]
    amount = held // AFFORDABLE
    assert amount > 0 and held // amount == AFFORDABLE
    seq = await last_seq(api)

    results = await _race(api, amount)

    won = [r for r in results if not r.errors]
    lost = [r for r in results if r.errors]
    assert len(won) == AFFORDABLE, [r.codes for r in results]
    assert all(r.codes == ["BAD_USER_INPUT"] for r in lost), [r.errors for r in lost]
    assert all("cannot be paid out" in r.errors[0]["message"] for r in lost)
    assert (await balances(api))["publicRevenue"] == held - AFFORDABLE * amount >= 0
    assert await ledger_sums(api) == (0, 0)
    audit = [e for e in await entries_since(api, seq) if e.operation == "distributeRevenue"]
    assert Counter(e.outcome for e in audit) == {
        "SUCCESS": AFFORDABLE,
        "REJECTED": CALLERS - AFFORDABLE,
    }
    # The balances the successes recorded step down one payment at a time.
    steps = sorted(
        (c["before"], c["after"])
        for e in audit
        if e.outcome == "SUCCESS"
        for c in e.changes
        if c["field"] == "balance"
    )
    assert steps == sorted((held - n * amount, held - (n + 1) * amount) for n in range(AFFORDABLE))


async def test_without_the_lock_postgresql_overdraws(
    treasury: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof that the first test would catch a missing lock: take it away and watch."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite's IMMEDIATE write transactions serialise distributions even unlocked")
    api = treasury
    held = (await balances(api))["publicRevenue"]
    amount = held // AFFORDABLE

    async def no_lock(*_: object) -> None:
        return None

    monkeypatch.setattr(ledger, "lock_account", no_lock)
    results = await _race(api, amount)

    assert sum(1 for r in results if not r.errors) > AFFORDABLE
    assert (await balances(api))["publicRevenue"] < 0
