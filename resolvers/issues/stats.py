"""Problem-list statistics for a part of the tree, computed in SQL over the visible issues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from db.models import IssueCategory, IssueStatus
from db.types import utcnow
from db.value_lists import in_values
from resolvers.context import RequestContext
from resolvers.issues.lifecycle import OPEN_STATES
from resolvers.issues.queries import IssueFilter, filtered


@dataclass(frozen=True)
class IssueStats:
    total: int
    by_status: dict[IssueStatus, int]
    by_category: dict[IssueCategory, int]
    overdue: int
    median_claim_seconds: float | None
    median_resolve_seconds: float | None
    satisfaction_average: float | None
    satisfaction_count: int


def median_of(
    column: sa.SQLColumnExpression[int | None],
    *conditions: sa.ColumnElement[bool],
    group: sa.SQLColumnExpression[Any] | None = None,
) -> sa.Select[Any]:
    """The median of COLUMN's non-null values where CONDITIONS hold: the middle row, or the
    mean of the middle two. With GROUP, one (group, median) row per group, in one statement."""
    partition = [] if group is None else [group]
    ranked = (
        sa.select(
            *([] if group is None else [group.label("g")]),
            column.label("x"),
            sa.func.row_number().over(partition_by=partition, order_by=column).label("rn"),
            sa.func.count().over(partition_by=partition).label("n"),
        )
        .where(column.is_not(None), *conditions)
        .subquery()
    )
    middle = sa.and_(ranked.c.rn * 2 >= ranked.c.n, ranked.c.rn * 2 <= ranked.c.n + 2)
    if group is None:
        return sa.select(sa.func.avg(ranked.c.x)).where(middle)
    return sa.select(ranked.c.g, sa.func.avg(ranked.c.x)).where(middle).group_by(ranked.c.g)


async def _counts(ctx: RequestContext, column: sa.ColumnElement[str]) -> dict[str, int]:
    rows: Any = await ctx.read(sa.select(column, sa.func.count()).group_by(column))
    return {str(key): int(count) for key, count in rows.all()}


async def issue_stats(
    ctx: RequestContext, scope_id: int, created_from: datetime | None, created_to: datetime | None
) -> IssueStats:
    base = (
        await filtered(
            ctx, IssueFilter(subtree_of=scope_id, created_from=created_from, created_to=created_to)
        )
    ).subquery()
    by_status = await _counts(ctx, base.c.status)
    by_category = await _counts(ctx, base.c.category)
    now = utcnow()
    summary: Any = (
        await ctx.read(
            sa.select(
                sa.func.count(),
                sa.func.count().filter(
                    sa.and_(in_values(base.c.status, OPEN_STATES), base.c.due_at < now)
                ),
                sa.func.avg(base.c.satisfaction),
                sa.func.count(base.c.satisfaction),
            )
        )
    ).one()
    claim = (await ctx.read(median_of(base.c.claim_seconds))).scalar()
    resolve = (await ctx.read(median_of(base.c.resolve_seconds))).scalar()
    return IssueStats(
        total=int(summary[0]),
        by_status={IssueStatus(k): int(v) for k, v in by_status.items()},
        by_category={IssueCategory(k): int(v) for k, v in by_category.items()},
        overdue=int(summary[1]),
        median_claim_seconds=None if claim is None else float(claim),
        median_resolve_seconds=None if resolve is None else float(resolve),
        satisfaction_average=None if summary[2] is None else round(float(summary[2]), 2),
        satisfaction_count=int(summary[3]),
    )
