"""Funds in the indicators: money moved in each compound over a period, in SQL.

A compound served by a joint branch (聯合黨支部) has no branch funds of its own: the street
grants the joint branch, whose ledger lies at the grid, and the branch spends from it. Such a
compound shows that ledger's grants and spending as its `granted` and `spent`, labelled
(`joint`): the same figures on every compound the branch serves, since the money is shared and
cannot be divided between them. A subtree's sums count each joint branch's ledger once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import (
    FundAccount,
    FundAccountKind,
    FundEntry,
    FundLine,
    Organisation,
    OrganisationKind,
)
from policies.authorizer import Decision
from policies.branches import compounds_served_by
from policies.conditions import RowFacts
from resolvers.context import RequestContext

RESOURCE = "fund"


@dataclass(frozen=True)
class JointFunds:
    """A joint branch's grants and spending over the period, from its ledger at GRID_ID."""

    grid_id: int
    granted: int = 0
    spent: int = 0


@dataclass(frozen=True)
class FundTotals:
    """Money moved in a compound over a period, in fen, net of reversals: its own ledger's,
    and the joint branch's serving it (if any, and if the caller may read its ledger)."""

    granted: int = 0
    revenue: int = 0
    distributed: int = 0
    spent: int = 0
    joint: JointFunds | None = None

    def shown_granted(self) -> int:
        return self.granted + (self.joint.granted if self.joint else 0)

    def shown_spent(self) -> int:
        return self.spent + (self.joint.spent if self.joint else 0)


def summed(rows: Iterable[FundTotals]) -> FundTotals:
    """A subtree's totals: each compound's own, and each joint branch's ledger once."""
    granted = revenue = distributed = spent = 0
    joints: dict[int, JointFunds] = {}
    for row in rows:
        granted, revenue = granted + row.granted, revenue + row.revenue
        distributed, spent = distributed + row.distributed, spent + row.spent
        if row.joint is not None:
            joints[row.joint.grid_id] = row.joint
    for joint in joints.values():
        granted, spent = granted + joint.granted, spent + joint.spent
    return FundTotals(granted, revenue, distributed, spent)


def _total(kind: FundAccountKind, sign: int) -> sa.ColumnElement[int]:
    amount = sa.case((col(FundAccount.kind) == kind, col(FundLine.amount) * sign), else_=0)
    return sa.func.coalesce(sa.func.sum(amount), 0)


def _sums(group: Any, where: list[Any]) -> sa.Select[Any]:
    """Per GROUP: granted, revenue, distributed and spent, over the entries WHERE selects."""
    return (
        sa.select(
            group,
            _total(FundAccountKind.STREET_GRANTS, -1),
            _total(FundAccountKind.REVENUE_SOURCES, -1),
            _total(FundAccountKind.DISTRIBUTED, 1),
            _total(FundAccountKind.SPENT, 1),
        )
        .join(FundLine, col(FundLine.entry_id) == col(FundEntry.id))
        .join(FundAccount, col(FundAccount.id) == col(FundLine.account_id))
        .where(*where)
        .group_by(group)
    )


async def _joint_grids(ctx: RequestContext, compound_ids: Sequence[int]) -> dict[int, int]:
    """The grid of the joint branch serving each of COMPOUND_IDS that one serves."""
    joint = sa.select(col(Organisation.id)).where(
        col(Organisation.kind) == OrganisationKind.PARTY_BRANCH,
        col(Organisation.compound_id).is_(None),
    )
    # A compound a joint branch serves lies in its grid: the compound's parent.
    rows = await ctx.read(
        sa.select(col(Organisation.id), col(Organisation.parent_id)).where(
            col(Organisation.id).in_(set(compound_ids)),
            col(Organisation.id).in_(compounds_served_by(joint)),
        )
    )
    return {int(c): int(g) for c, g in map(tuple, rows.all())}


async def _joint_funds(
    ctx: RequestContext, decision: Decision, grids: set[int], first: date, last: date
) -> dict[int, JointFunds]:
    """The joint branches' ledgers at GRIDS the caller may read, summed over the period."""
    if not grids:
        return {}
    paths = await _paths(ctx, grids)
    readable = {g for g in grids if decision.grant_for(RowFacts(paths=(paths[g],))) is not None}
    rows = await ctx.read(
        _sums(
            col(FundEntry.ledger_id),
            [
                col(FundEntry.compound_id).is_(None),
                col(FundEntry.ledger_id).in_(readable),
                col(FundEntry.occurred_on) >= first,
                col(FundEntry.occurred_on) <= last,
                decision.where(),
            ],
        )
    )
    found = {
        int(grid): JointFunds(int(grid), int(granted), int(spent))
        for grid, granted, _revenue, _distributed, spent in map(tuple, rows.all())
    }
    return {g: found.get(g, JointFunds(g)) for g in readable}


async def _paths(ctx: RequestContext, ids: set[int]) -> dict[int, str]:
    rows = await ctx.read(
        sa.select(col(Organisation.id), col(Organisation.path)).where(col(Organisation.id).in_(ids))
    )
    return {int(i): str(p) for i, p in map(tuple, rows.all())}


async def totals_by_compound(
    ctx: RequestContext, compound_ids: Sequence[int], first: date, last: date
) -> dict[int, FundTotals] | None:
    """For indicators: money granted, received, distributed and spent in each compound from
    FIRST to LAST (both included), over the entries the caller may read, in a constant number
    of statements; None when the caller may read funds nowhere. Sums of lines by account, so a
    reversal (on its own day) takes back what it reverses."""
    decision = ctx.auth.decide(RESOURCE, "read")
    if not decision.allowed_somewhere:
        return None
    if not compound_ids:
        return {}
    rows = await ctx.read(
        _sums(
            col(FundEntry.compound_id),
            [
                col(FundEntry.compound_id).in_(set(compound_ids)),
                col(FundEntry.occurred_on) >= first,
                col(FundEntry.occurred_on) <= last,
                decision.where(),
            ],
        )
    )
    found = {
        int(compound): FundTotals(int(granted), int(revenue), int(distributed), int(spent))
        for compound, granted, revenue, distributed, spent in map(tuple, rows.all())
    }
    grids = await _joint_grids(ctx, compound_ids)
    joints = await _joint_funds(ctx, decision, set(grids.values()), first, last)
    paths = await _paths(ctx, set(compound_ids))
    # Compounds whose funds the caller may not read are absent (null), not zero.
    return {
        compound_id: replace(
            found.get(compound_id, FundTotals()), joint=joints.get(grids.get(compound_id, 0))
        )
        for compound_id in compound_ids
        if compound_id in paths
        and decision.grant_for(RowFacts(paths=(paths[compound_id],))) is not None
    }
