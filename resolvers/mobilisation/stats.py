"""Mobilisation figures for the compound indicators: of the people called on in each compound
by calls sent in the period, how many acknowledged and reported back, and how fast; and how
many were called by calls now closed, and of them who never reported back.

They are aggregates, never who, and read with the indicators (indicators:read) like the issue
figures: a call sent by the street counts in each compound whose people it called on, by the
compound each recipient was found in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import Mobilisation, MobilisationRecipient, MobilisationStatus
from resolvers.context import RequestContext
from resolvers.issues.stats import median_of


@dataclass(frozen=True)
class Turnout:
    targeted: int = 0
    acknowledged: int = 0
    reported: int = 0
    response_seconds_sum: int = 0
    median_response_seconds: float | None = None
    # Of the people called on, those called by calls now CLOSED (by their sender, or at their
    # deadline by the sweep: resolvers/mobilisation/sweep.py), and of them who never reported.
    closed: int = 0
    missed: int = 0


def _in_period(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    sent = sa.select(col(Mobilisation.id)).where(
        col(Mobilisation.sent_at) >= start, col(Mobilisation.sent_at) < end
    )
    return col(MobilisationRecipient.mobilisation_id).in_(sent)


async def turnout_by_compound(
    ctx: RequestContext, compound_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, Turnout]:
    """Per compound, the figures of calls sent from START to END; two statements."""
    if not compound_ids:
        return {}
    r = MobilisationRecipient
    m = Mobilisation
    where = (col(r.compound_id).in_(set(compound_ids)), _in_period(start, end))
    closed = col(m.status) == MobilisationStatus.CLOSED
    rows: Any = await ctx.read(
        sa.select(
            col(r.compound_id),
            sa.func.count(),
            sa.func.count(col(r.acknowledged_at)),
            sa.func.count(col(r.reported_at)),
            sa.func.coalesce(sa.func.sum(col(r.response_seconds)), 0),
            sa.func.count(sa.case((closed, 1))),
            sa.func.count(sa.case((sa.and_(closed, col(r.reported_at).is_(None)), 1))),
        )
        .join(m, col(m.id) == col(r.mobilisation_id))
        .where(
            col(r.compound_id).in_(set(compound_ids)),
            col(m.sent_at) >= start,
            col(m.sent_at) < end,
        )
        .group_by(col(r.compound_id))
    )
    medians: Any = await ctx.read(
        median_of(col(r.response_seconds), *where, group=col(r.compound_id))
    )
    median = {int(c): float(v) for c, v in medians.all() if v is not None}
    return {
        int(c): Turnout(
            targeted=int(n),
            acknowledged=int(a),
            reported=int(p),
            response_seconds_sum=int(total),
            median_response_seconds=median.get(int(c)),
            closed=int(shut),
            missed=int(missed),
        )
        for c, n, a, p, total, shut, missed in rows.all()
    }


async def subtree_median(
    ctx: RequestContext, compound_ids: Sequence[int], start: datetime, end: datetime
) -> float | None:
    """The median response over every recipient of the compounds together (not a mean of
    medians)."""
    if not compound_ids:
        return None
    r = MobilisationRecipient
    value = (
        await ctx.read(
            median_of(
                col(r.response_seconds),
                col(r.compound_id).in_(set(compound_ids)),
                _in_period(start, end),
            )
        )
    ).scalar()
    return None if value is None else float(value)
