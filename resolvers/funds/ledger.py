"""Posting to a fund ledger (經費與公共收益: a compound's, or a joint branch's at its grid), in
double entry like the love bank's.

Used by the mutations and by the demo alike. Every entry has two lines that sum to zero;
accounts are made on first use; a balance is the sum of an account's lines, read in the
caller's transaction after the account is locked, so two movements out of one account queue
and neither can overdraw it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import FundAccount, FundAccountKind, FundEntry, FundEntryKind, FundLine
from db.types import utcnow

# Each kind of entry moves money from its first account to its second.
MOVES: dict[FundEntryKind, tuple[FundAccountKind, FundAccountKind]] = {
    FundEntryKind.GRANT: (FundAccountKind.STREET_GRANTS, FundAccountKind.BRANCH_FUNDS),
    FundEntryKind.REVENUE: (FundAccountKind.REVENUE_SOURCES, FundAccountKind.PUBLIC_REVENUE),
    FundEntryKind.DISTRIBUTION: (FundAccountKind.PUBLIC_REVENUE, FundAccountKind.DISTRIBUTED),
    FundEntryKind.SPENDING: (FundAccountKind.BRANCH_FUNDS, FundAccountKind.SPENT),
}
# Accounts that hold money: their balance never goes below zero. The sources' balances are
# the negated totals of what came in; DISTRIBUTED only ever grows.
HOLDING = frozenset({FundAccountKind.BRANCH_FUNDS, FundAccountKind.PUBLIC_REVENUE})


class UnbalancedEntry(ValueError):
    """A bug: an entry whose lines do not sum to zero must never be written."""


class Overdrawn(ValueError):
    """Moving the amount would take a holding account below zero."""

    def __init__(self, kind: FundAccountKind, balance: int, amount: int) -> None:
        super().__init__(f"{kind.value} holds {balance} fen; {amount} cannot leave it")
        self.kind = kind
        self.balance = balance
        self.amount = amount


@dataclass(frozen=True)
class Posted:
    entry: FundEntry
    # The balance of the account the money left, before and after.
    source_before: int
    source_after: int


async def account_id(session: AsyncSession, ledger_id: int, kind: FundAccountKind) -> int:
    """The id of LEDGER_ID's account of KIND, created on first use (INSERT ... ON CONFLICT
    DO NOTHING, then a read, so two transactions making it at once share the one row)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(FundAccount)
        .values(ledger_id=ledger_id, kind=kind.value, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    found = await session.execute(
        sa.select(col(FundAccount.id)).where(
            col(FundAccount.ledger_id) == ledger_id, col(FundAccount.kind) == kind
        )
    )
    account = found.scalar_one()
    assert account is not None  # a stored row always has its id
    return account


async def lock_account(session: AsyncSession, account: int) -> None:
    """Hold ACCOUNT's row until the transaction ends (FOR UPDATE on PostgreSQL; SQLite's write
    transaction already holds the whole database)."""
    await session.execute(
        sa.select(col(FundAccount.id)).where(col(FundAccount.id) == account).with_for_update()
    )


async def balance(session: AsyncSession, account: int) -> int:
    total = await session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(col(FundLine.amount)), 0)).where(
            col(FundLine.account_id) == account
        )
    )
    return int(total.scalar_one())


def check_lines(lines: Sequence[tuple[int, int]]) -> None:
    if len(lines) < 2 or any(amount == 0 for _, amount in lines):
        raise UnbalancedEntry(f"an entry needs two or more non-zero lines, got {lines!r}")
    if sum(amount for _, amount in lines) != 0:
        raise UnbalancedEntry(f"the lines of an entry must sum to zero, got {lines!r}")


def moves(entry: FundEntry, original: FundEntry | None = None) -> tuple[FundAccountKind, ...]:
    """(source, target) of ENTRY; a REVERSAL moves ORIGINAL's amount back, target to source."""
    if entry.kind is FundEntryKind.REVERSAL:
        if original is None:
            raise UnbalancedEntry("a reversal posts against the entry it reverses")
        source, target = MOVES[original.kind]
        return target, source
    return MOVES[entry.kind]


async def post(
    session: AsyncSession, entry: FundEntry, original: FundEntry | None = None
) -> Posted:
    """Write ENTRY and its two lines: its amount out of the kind's source account into its
    target (a reversal: back out of ORIGINAL's target into its source). The source is locked
    first; a holding source may not go below zero."""
    if entry.amount <= 0:
        raise UnbalancedEntry(f"an entry moves a positive amount, got {entry.amount}")
    source_kind, target_kind = moves(entry, original)
    source = await account_id(session, entry.ledger_id, source_kind)
    target = await account_id(session, entry.ledger_id, target_kind)
    await lock_account(session, source)
    before = await balance(session, source)
    if source_kind in HOLDING and before < entry.amount:
        raise Overdrawn(source_kind, before, entry.amount)
    lines = [(source, -entry.amount), (target, entry.amount)]
    check_lines(lines)
    session.add(entry)
    await session.flush()
    session.add_all(
        FundLine(entry_id=entry.id or 0, account_id=account, amount=amount)
        for account, amount in lines
    )
    await session.flush()
    return Posted(entry, before, before - entry.amount)
