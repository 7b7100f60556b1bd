"""Reading the love bank's ledger: balances, passbooks, entries, the volunteer ranking and
compound totals. Balances are sums of ledger lines, computed in SQL, never stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    AccountKind,
    LedgerEntry,
    LedgerEntryKind,
    LedgerLine,
    Organisation,
    Person,
    PointsAccount,
)
from policies.conditions import RowFacts
from policies.subtrees import organisations_under
from resolvers.common import subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.pagination import Page, Window, keyset_page, page_size

POINTS = "points"
LEDGER = "ledger"


@dataclass(frozen=True)
class RankRow:
    rank: int
    person_id: int
    points: int
    services: int


@dataclass(frozen=True)
class CompoundPoints:
    """Points earned (issued for confirmed service) and redeemed in one compound."""

    earned: int
    redeemed: int


async def balances(ctx: RequestContext, person_ids: Sequence[int]) -> dict[int, int]:
    """The balance of each person the caller may see the points of (points:read), in one
    query; the others are absent."""
    decision = ctx.auth.decide(POINTS, "read")
    if not decision.allowed_somewhere or not person_ids:
        return {}
    statement = (
        sa.select(col(Person.id), sa.func.coalesce(sa.func.sum(col(LedgerLine.amount)), 0))
        .select_from(Person)
        .outerjoin(PointsAccount, col(PointsAccount.person_id) == col(Person.id))
        .outerjoin(LedgerLine, col(LedgerLine.account_id) == col(PointsAccount.id))
        .where(col(Person.id).in_(set(person_ids)), decision.where())
        .group_by(col(Person.id))
    )
    rows: Any = await ctx.read(statement)
    return {int(pid): int(total) for pid, total in rows.all()}


async def movements(ctx: RequestContext, person_id: int, window: Window) -> Page[LedgerLine]:
    """The lines of a person's points account, newest first, if the caller may see their
    points (empty otherwise)."""
    visible = sa.select(col(Person.id)).where(
        col(Person.id) == person_id, ctx.auth.decide(POINTS, "read").where()
    )
    statement = (
        sa.select(LedgerLine)
        .join(PointsAccount, col(PointsAccount.id) == col(LedgerLine.account_id))
        .where(col(PointsAccount.person_id).in_(visible))
    )
    return await keyset_page(
        ctx,
        statement,
        keys=[col(LedgerLine.id)],
        key_of=lambda line: (line.id,),
        window=window,
        descending=True,
    )


async def entries_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, LedgerEntry]:
    """Entries the caller may read (ledger:read): their own, or in a compound they oversee."""
    return await visible_by_ids(ctx, LedgerEntry, LEDGER, ids)


async def entries_of_movements(ctx: RequestContext, ids: Sequence[int]) -> dict[int, LedgerEntry]:
    """Entries by id, unscoped: only for lines already shown through points:read, whose
    entry is part of that person's passbook wherever the points were earned or spent."""
    rows: list[LedgerEntry] = await read_whole(
        ctx.read, sa.select(LedgerEntry).where(col(LedgerEntry.id).in_(set(ids)))
    )
    return {row.id or 0: row for row in rows}


async def entries_of_services(
    ctx: RequestContext, service_ids: Sequence[int]
) -> dict[int, LedgerEntry]:
    """The (visible) earning entry of each confirmed service."""
    rows: list[LedgerEntry] = await read_whole(
        ctx.read,
        sa.select(LedgerEntry).where(
            col(LedgerEntry.service_id).in_(set(service_ids)),
            ctx.auth.decide(LEDGER, "read").where(),
        ),
    )
    return {row.service_id or 0: row for row in rows}


async def lines_of(ctx: RequestContext, entry_ids: Sequence[int]) -> dict[int, list[LedgerLine]]:
    """The lines of entries the caller already may see."""
    rows: list[LedgerLine] = await read_whole(
        ctx.read,
        sa.select(LedgerLine)
        .where(col(LedgerLine.entry_id).in_(set(entry_ids)))
        .order_by(col(LedgerLine.id)),
    )
    found: dict[int, list[LedgerLine]] = {}
    for line in rows:
        found.setdefault(line.entry_id, []).append(line)
    return found


async def accounts_by_ids(ctx: RequestContext, ids: Sequence[int]) -> dict[int, PointsAccount]:
    """Accounts named by lines the caller already may see; their owners load scoped."""
    rows: list[PointsAccount] = await read_whole(
        ctx.read, sa.select(PointsAccount).where(col(PointsAccount.id).in_(set(ids)))
    )
    return {row.id or 0: row for row in rows}


def _period(start: date, end: date) -> None:
    if end < start:
        raise BadUserInput(tr("The period's 'to' day must not be before its 'from' day."))


async def volunteer_ranking(
    ctx: RequestContext, scope_id: int, start: date, end: date, first: int | None
) -> list[RankRow]:
    """Volunteers by points earned from START to END (days of service, inclusive) in the
    compounds under SCOPE_ID, as far as the caller may read the ledger's summaries; ranked in
    SQL (equal points share a rank)."""
    _period(start, end)
    size = page_size(first)
    decision = ctx.auth.decide(LEDGER, "read_summary")
    under = organisations_under(await subtree_root(ctx, scope_id))
    points = sa.func.sum(col(LedgerLine.amount))
    earned = (
        sa.select(
            col(PointsAccount.person_id).label("person_id"),
            points.label("points"),
            sa.func.count(col(LedgerEntry.id)).label("services"),
        )
        .select_from(LedgerEntry)
        .join(LedgerLine, col(LedgerLine.entry_id) == col(LedgerEntry.id))
        .join(
            PointsAccount,
            sa.and_(
                col(PointsAccount.id) == col(LedgerLine.account_id),
                col(PointsAccount.kind) == AccountKind.PERSON,
            ),
        )
        .where(
            col(LedgerEntry.kind) == LedgerEntryKind.EARN,
            col(LedgerEntry.occurred_on).between(start, end),
            col(LedgerEntry.compound_id).in_(under),
            decision.where(),
        )
        .group_by(col(PointsAccount.person_id))
        .subquery()
    )
    ranked = (
        sa.select(
            sa.func.rank().over(order_by=earned.c.points.desc()),
            earned.c.person_id,
            earned.c.points,
            earned.c.services,
        )
        .order_by(earned.c.points.desc(), earned.c.person_id)
        .limit(size)
    )
    rows: Any = await ctx.read(ranked)
    return [RankRow(int(r), int(p), int(pts), int(n)) for r, p, pts, n in rows.all()]


async def points_by_compound(
    ctx: RequestContext,
    compound_ids: Sequence[int],
    start: date | None = None,
    end: date | None = None,
) -> dict[int, CompoundPoints]:
    """Points earned and redeemed in each compound (optionally over a period of days), for
    many compounds in one query: for compound indicators. Compounds whose ledger summaries
    the caller may not read (ledger:read_summary) are absent."""
    if start is not None and end is not None:
        _period(start, end)
    decision = ctx.auth.decide(LEDGER, "read_summary")
    if not decision.allowed_somewhere or not compound_ids:
        return {}
    joined = [col(LedgerEntry.compound_id) == col(Organisation.id)]
    if start is not None:
        joined.append(col(LedgerEntry.occurred_on) >= start)
    if end is not None:
        joined.append(col(LedgerEntry.occurred_on) <= end)

    def total(kind: LedgerEntryKind) -> sa.ColumnElement[int]:
        # Each entry moves its points once into a positive line: the volunteer's for EARN,
        # the station's for REDEEM.
        amount = sa.case((col(LedgerEntry.kind) == kind, col(LedgerLine.amount)), else_=0)
        return sa.func.coalesce(sa.func.sum(amount), 0)

    statement = (
        sa.select(
            col(Organisation.id),
            col(Organisation.path),
            total(LedgerEntryKind.EARN),
            total(LedgerEntryKind.REDEEM),
        )
        .select_from(Organisation)
        .outerjoin(LedgerEntry, sa.and_(*joined))
        .outerjoin(
            LedgerLine,
            sa.and_(col(LedgerLine.entry_id) == col(LedgerEntry.id), col(LedgerLine.amount) > 0),
        )
        .where(col(Organisation.id).in_(set(compound_ids)))
        .group_by(col(Organisation.id), col(Organisation.path))
    )
    rows: Any = await ctx.read(statement)
    found: dict[int, CompoundPoints] = {}
    for compound_id, path, earned, redeemed in rows.all():
        # The decision's answer applied to each compound's path: a prefix test, no new query.
        if decision.grant_for(RowFacts(paths=(path,))) is not None:
            found[int(compound_id)] = CompoundPoints(int(earned), int(redeemed))
    return found
