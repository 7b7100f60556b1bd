"""Reversing a wrong fund entry (沖正): an entry is never edited or deleted; a REVERSAL entry
names it, moves its amount back between the same two accounts and keeps the reason as its
memo. Whoever may record that kind of entry for that body may reverse it (the very
declaration that records it authorizes it); an entry is reversed once, and a reversal is not
itself reversed (record the entry again instead). A reversal that would take a holding
account below zero (a grant already spent) is refused like any overdraft.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import FundEntry, FundEntryKind, Organisation
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import visible_locked
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.funds import ledger
from resolvers.funds.actions import (
    DISTRIBUTE_REVENUE,
    GRANT_FUNDS,
    RECORD_PUBLIC_REVENUE,
    memo_of,
    overdrawn,
    record_entry,
)
from resolvers.funds.spending import SPEND_BRANCH_FUNDS
from resolvers.i18n import tr
from resolvers.mutations import CreateMutation, Mutation

# extensions.reason of the two refusals.
ALREADY_REVERSED = "ALREADY_REVERSED"
REVERSAL_NOT_REVERSIBLE = "REVERSAL_NOT_REVERSIBLE"

# Who may reverse an entry: whoever may record its kind, as that kind's declaration says.
RECORDED_BY: dict[FundEntryKind, CreateMutation[Organisation]] = {
    FundEntryKind.GRANT: GRANT_FUNDS,
    FundEntryKind.REVENUE: RECORD_PUBLIC_REVENUE,
    FundEntryKind.DISTRIBUTION: DISTRIBUTE_REVENUE,
    FundEntryKind.SPENDING: SPEND_BRANCH_FUNDS,
}


@dataclass(frozen=True)
class ReverseFundEntry:
    entry_id: int
    reason: str


REVERSE_FUND_ENTRY = Mutation(
    operation="reverseFundEntry",
    resource="fund",
    action="read",
    what=tr("reverse this fund entry"),
    audited_as="fund_entry",
    sentence="Needs the permission that records the entry's kind, for its body: fund:grant "
    "for a GRANT (held above its compound or grid), fund:record_revenue for REVENUE, "
    "fund:distribute for a DISTRIBUTION, fund:spend for a SPENDING (condition `member` for "
    "the last three); the entry must be one you may read (fund:read).",
)


async def _paths(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    rows = await session.execute(
        sa.select(col(Organisation.id), col(Organisation.path)).where(col(Organisation.id).in_(ids))
    )
    return {int(i or 0): str(p) for i, p in rows.all()}


async def _reversal_of(session: AsyncSession, entry_id: int) -> FundEntry | None:
    rows = await session.execute(
        sa.select(FundEntry).where(col(FundEntry.reverses_id) == entry_id).limit(1)
    )
    return rows.scalars().first()


async def reverse_fund_entry(ctx: RequestContext, data: ReverseFundEntry) -> FundEntry:
    """Reverse entry DATA.entry_id with a reason, by a new entry that names it."""

    async def handler(session: AsyncSession, record: AuditRecord) -> FundEntry:
        original = await visible_locked(
            ctx, session, FundEntry, "fund", data.entry_id, tr("fund entry")
        )
        # A reversal is judged as the kind it reverses (so its recorder is told why not).
        kind = original.kind
        if kind is FundEntryKind.REVERSAL:
            first = await session.get(FundEntry, original.reverses_id or 0)
            assert first is not None  # a foreign key
            kind = first.kind
        paths = await _paths(session, {original.ledger_id, original.body_id})
        body_path = paths[original.body_id]
        # A grant is checked at its ledger (`below`); the others speak for their body.
        at = paths[original.ledger_id] if kind is FundEntryKind.GRANT else body_path
        record.target(original.id, original.body_id, body_path, compound_id=original.compound_id)
        RECORDED_BY[kind].authorize(
            ctx, record, RowFacts(paths=(at,), body_path=body_path), REVERSE_FUND_ENTRY.what
        )
        if original.kind is FundEntryKind.REVERSAL:
            raise BadUserInput(
                tr("A reversal is not reversed: record the entry again instead."),
                reason=REVERSAL_NOT_REVERSIBLE,
            )
        earlier = await _reversal_of(session, original.id or 0)
        if earlier is not None:
            raise BadUserInput(
                tr(
                    "That entry was reversed on {day}: {reason}",
                    day=earlier.occurred_on,
                    reason=earlier.memo,
                ),
                reason=ALREADY_REVERSED,
            )
        reversal = FundEntry(
            ledger_id=original.ledger_id,
            compound_id=original.compound_id,
            body_id=original.body_id,
            kind=FundEntryKind.REVERSAL,
            category=original.category,
            amount=original.amount,
            year=original.year,
            occurred_on=ctx.today,
            memo=memo_of(data.reason, tr("reason")),
            reverses_id=original.id,
            created_by_id=ctx.actor.person_id,
        )
        try:
            posted = await ledger.post(session, reversal, original)
        except ledger.Overdrawn as error:
            raise overdrawn(error) from None
        record_entry(record, reversal, posted)
        return reversal

    return await REVERSE_FUND_ENTRY.run(ctx, data, handler)
