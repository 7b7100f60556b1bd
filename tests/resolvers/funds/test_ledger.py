"""The fund ledger's double entry (resolvers/funds/ledger.py), under any sequence of grants,
spending, revenue, distributions and reversals: every entry is two lines that sum to zero, the
compound's lines sum to zero, the accounts that hold money never go below zero, and a movement
larger than what is held is refused without writing anything."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from db import clock
from db.models import FundAccount, FundAccountKind, FundCategory, FundEntry, FundEntryKind, FundLine
from resolvers.funds import ledger
from resolvers.funds.money import yuan
from tests.helpers import Api

CATEGORY = {
    FundEntryKind.GRANT: FundCategory.RUNNING,
    FundEntryKind.REVENUE: FundCategory.PARKING,
    FundEntryKind.DISTRIBUTION: FundCategory.OWNER_DIVIDEND,
    FundEntryKind.SPENDING: FundCategory.SUPPLIES,
}
# Running funds are once a year per compound: each generated grant takes a year of its own.
_years = itertools.count(3000)


class RolledBack(Exception):
    """Ends an example's savepoint so the next one starts from the demo again."""


async def _balances(session: AsyncSession, compound_id: int) -> dict[FundAccountKind, int]:
    rows = await session.execute(
        sa.select(FundAccount.kind, sa.func.coalesce(sa.func.sum(FundLine.amount), 0))
        .outerjoin(FundLine, FundLine.account_id == FundAccount.id)
        .where(FundAccount.ledger_id == compound_id)
        .group_by(FundAccount.kind)
    )
    found = {kind: 0 for kind in FundAccountKind}
    found.update({FundAccountKind(kind): int(total) for kind, total in rows.all()})
    return found


async def _unbalanced(session: AsyncSession) -> list[int]:
    rows = await session.execute(
        sa.select(FundLine.entry_id)
        .group_by(FundLine.entry_id)
        .having(sa.or_(sa.func.sum(FundLine.amount) != 0, sa.func.count() != 2))
    )
    return list(rows.scalars())


async def _lines(session: AsyncSession) -> int:
    return int((await session.execute(sa.select(sa.func.count()).select_from(FundLine))).scalar())


steps = st.lists(
    # A REVERSAL step reverses the latest entry not yet reversed (its amount is ignored).
    st.tuples(st.sampled_from(list(FundEntryKind)), st.integers(1, 2_000_000)),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=steps)
async def test_any_sequence_keeps_the_fund_ledger_balanced_and_never_overdrawn(
    api: Api, moves: list[tuple[FundEntryKind, int]]
) -> None:
    compound = api.compound("b")
    body = int(
        await api.scalar(
            sa.text(
                "SELECT id FROM organisation WHERE compound_id = :c AND kind = 'PARTY_BRANCH'"
            ).bindparams(c=compound)
        )
    )
    with pytest.raises(RolledBack):
        async with api.db.write() as session:
            expected = await _balances(session, compound)
            posted_entries: list[FundEntry] = []
            for kind, amount in moves:
                original = None
                if kind is FundEntryKind.REVERSAL:
                    if not posted_entries:
                        continue
                    original = posted_entries.pop()
                    amount = original.amount
                entry = FundEntry(
                    ledger_id=compound,
                    compound_id=compound,
                    body_id=body,
                    kind=kind,
                    category=CATEGORY[original.kind if original else kind],
                    amount=amount,
                    year=next(_years),
                    occurred_on=clock.today(),
                    reverses_id=original.id if original else None,
                )
                source, target = ledger.moves(entry, original)
                lines_before = await _lines(session)
                if source in ledger.HOLDING and expected[source] < amount:
                    with pytest.raises(ledger.Overdrawn):
                        await ledger.post(session, entry, original)
                    assert await _lines(session) == lines_before
                    continue
                posted = await ledger.post(session, entry, original)
                if original is None:
                    posted_entries.append(entry)
                assert posted.source_after == posted.source_before - amount
                expected[source] -= amount
                expected[target] += amount
                found = await _balances(session, compound)
                assert found == expected
                assert all(found[kind] >= 0 for kind in ledger.HOLDING)
                assert sum(found.values()) == 0
                assert await _unbalanced(session) == []
            raise RolledBack


def test_an_unbalanced_entry_is_a_bug_that_is_never_written() -> None:
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.check_lines([(1, 100), (2, -99)])
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.check_lines([(1, 100)])
    with pytest.raises(ledger.UnbalancedEntry):
        ledger.check_lines([(1, 0), (2, 0)])
    ledger.check_lines([(1, 100), (2, -100)])


@given(st.integers(-(10**12), 10**12))
def test_yuan_shows_fen_exactly(fen: int) -> None:
    shown = yuan(fen)
    whole, cents = shown.lstrip("-").split(".")
    assert len(cents) == 2
    assert (-1 if shown.startswith("-") else 1) * (int(whole) * 100 + int(cents)) == fen


def test_the_kinds_move_between_the_documented_accounts() -> None:
    k = FundAccountKind
    assert ledger.MOVES[FundEntryKind.GRANT] == (k.STREET_GRANTS, k.BRANCH_FUNDS)
    assert ledger.MOVES[FundEntryKind.DISTRIBUTION][0] in ledger.HOLDING
