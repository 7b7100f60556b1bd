"""Funds, the reads: the journal of entries scoped in SQL (fund:read), each entry's lines and
reversal, the balances of a ledger's accounts (a compound's, or a joint branch's at its grid);
the indicators' totals per compound are resolvers/funds/totals.py. Balances are sums of ledger
lines, computed in SQL, never stored, so a reversal nets out of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    FundAccount,
    FundAccountKind,
    FundCategory,
    FundEntry,
    FundEntryKind,
    FundLine,
    Organisation,
    OrganisationKind,
)
from policies.conditions import RowFacts
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.kept_pages import ordered_page_query
from resolvers.pagination import KeysetQuery, Ordering, Page, Window, read_page

RESOURCE = "fund"


@dataclass(frozen=True)
class FundEntryFilter:
    compound_id: int | None = None
    kind: FundEntryKind | None = None
    category: FundCategory | None = None
    year: int | None = None


@dataclass(frozen=True)
class Balances:
    """A ledger's fund accounts (a compound's, or a joint branch's grid's), in fen."""

    compound_id: int
    by_kind: dict[FundAccountKind, int] = field(default_factory=dict)

    def of(self, kind: FundAccountKind) -> int:
        return self.by_kind.get(kind, 0)


async def entries_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, FundEntry]:
    return await visible_by_ids(ctx, FundEntry, RESOURCE, ids)


async def list_entries(
    ctx: RequestContext, filter: FundEntryFilter, window: Window
) -> Page[FundEntry]:
    """Entries the caller may read, newest first."""
    query = await entries_page_query(ctx, filter, window)
    return await read_page(ctx, query, lambda entry: (entry.id,))


async def entries_page_query(
    ctx: RequestContext, filter: FundEntryFilter, window: Window
) -> KeysetQuery:
    """The statements of the caller's page of entries (lists and compiled reads)."""
    statement = sa.select(FundEntry)
    if filter.compound_id is not None:
        # A compound's ledger, or a grid's (its joint branch's).
        statement = statement.where(col(FundEntry.ledger_id) == filter.compound_id)
    if filter.kind is not None:
        statement = statement.where(col(FundEntry.kind) == filter.kind)
    if filter.category is not None:
        statement = statement.where(col(FundEntry.category) == filter.category)
    if filter.year is not None:
        statement = statement.where(col(FundEntry.year) == filter.year)

    return await ordered_page_query(
        ctx, RESOURCE, filter, statement, Ordering([col(FundEntry.id)], descending=True), window
    )


async def lines_of(ctx: RequestContext, entry_ids: Sequence[int]) -> dict[int, list[FundLine]]:
    """The lines of entries the caller already may see (column rows, db/entity_rows.py)."""
    rows: list[FundLine] = await read_whole(
        ctx.read,
        sa.select(FundLine)
        .where(col(FundLine.entry_id).in_(set(entry_ids)))
        .order_by(col(FundLine.id)),
    )
    found: dict[int, list[FundLine]] = {}
    for line in rows:
        found.setdefault(line.entry_id, []).append(line)
    return found


async def reversals_of(ctx: RequestContext, entry_ids: Sequence[int]) -> dict[int, FundEntry]:
    """The reversal of each of ENTRY_IDS that has one and the caller may read."""
    rows: list[FundEntry] = await read_whole(
        ctx.read,
        sa.select(FundEntry).where(
            col(FundEntry.reverses_id).in_(set(entry_ids)),
            ctx.auth.decide(RESOURCE, "read").where(),
        ),
    )
    return {row.reverses_id or 0: row for row in rows}


async def accounts_by_ids(ctx: RequestContext, ids: Sequence[int]) -> dict[int, FundAccount]:
    """Accounts named by lines the caller already may see."""
    rows: list[FundAccount] = await read_whole(
        ctx.read, sa.select(FundAccount).where(col(FundAccount.id).in_(set(ids)))
    )
    return {row.id or 0: row for row in rows}


LEDGERS = frozenset({OrganisationKind.COMPOUND, OrganisationKind.GRID})


async def balances(ctx: RequestContext, compound_id: int) -> Balances | None:
    """The balance of each account of the ledger of COMPOUND_ID (a compound, or a grid: its
    joint branch's), in one statement; None when the caller may not read its funds."""
    decision = ctx.auth.decide(RESOURCE, "read")
    found: Any = (
        await ctx.read(
            sa.select(col(Organisation.path), col(Organisation.kind)).where(
                col(Organisation.id) == compound_id
            )
        )
    ).first()
    if found is None:
        return None
    path, kind = found
    # The decision applied to the compound's path: a prefix test, no query per row.
    if decision.grant_for(RowFacts(paths=(str(path),))) is None:
        return None
    if OrganisationKind(kind) not in LEDGERS:
        raise BadUserInput(
            tr(
                "Funds are kept per compound, and a joint branch's at its grid; name a "
                "COMPOUND or GRID."
            )
        )
    rows: Any = await ctx.read(
        sa.select(col(FundAccount.kind), sa.func.coalesce(sa.func.sum(col(FundLine.amount)), 0))
        .select_from(FundAccount)
        .outerjoin(FundLine, col(FundLine.account_id) == col(FundAccount.id))
        .where(col(FundAccount.ledger_id) == compound_id)
        .group_by(col(FundAccount.kind))
    )
    return Balances(compound_id, {FundAccountKind(k): int(total) for k, total in rows.all()})
