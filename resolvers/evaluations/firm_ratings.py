"""The latest star rating and standing of the firm serving each compound, for indicators.

One statement for any number of compounds: the firm serving each compound today (the
contract that started last, when contracts overlap at a handover), that firm's latest
closed evaluation in that compound, and the firm's standing in force today. Contracts,
evaluations and standing entries the caller may not read count as absent, so asking about
a compound outside the caller's view returns nothing for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import (
    Evaluation,
    EvaluationStatus,
    FirmStanding,
    LinkKind,
    OrganisationLink,
    StandingList,
)
from policies.grants import link_active_on
from resolvers.context import RequestContext
from resolvers.evaluations.queries import overall_stars
from resolvers.evaluations.standing import in_force_on


@dataclass(frozen=True)
class FirmRating:
    compound_id: int
    firm_id: int
    # The latest closed evaluation of the firm in this compound, if any.
    evaluation_id: int | None
    year: int | None
    # None without an evaluation, or with too few scorers to show means.
    overall_stars: float | None
    scorer_count: int | None
    standing: StandingList | None


def ratings_statement(ctx: RequestContext, compound_ids: Sequence[int]) -> sa.Select[Any]:
    ids = sorted(set(compound_ids))
    serving = (
        sa.select(
            col(OrganisationLink.target_id).label("compound_id"),
            col(OrganisationLink.source_id).label("firm_id"),
            sa.func.row_number()
            .over(
                partition_by=col(OrganisationLink.target_id),
                order_by=(
                    col(OrganisationLink.start_date).desc(),
                    col(OrganisationLink.id).desc(),
                ),
            )
            .label("rank"),
        )
        .where(
            col(OrganisationLink.kind) == LinkKind.SERVES,
            col(OrganisationLink.target_id).in_(ids),
            link_active_on(ctx.today),
            ctx.auth.decide("link", "read").where(),
        )
        .subquery("serving")
    )
    latest = (
        sa.select(
            col(Evaluation.id).label("evaluation_id"),
            col(Evaluation.compound_id),
            col(Evaluation.subject_id),
            col(Evaluation.year),
            col(Evaluation.scorer_count),
            col(Evaluation.weighted_star_sum),
            sa.func.row_number()
            .over(
                partition_by=(col(Evaluation.compound_id), col(Evaluation.subject_id)),
                order_by=(col(Evaluation.year).desc(), col(Evaluation.id).desc()),
            )
            .label("rank"),
        )
        .where(
            col(Evaluation.compound_id).in_(ids),
            col(Evaluation.status) == EvaluationStatus.CLOSED,
            ctx.auth.decide("evaluation", "read").where(),
        )
        .subquery("latest")
    )
    standing = (
        sa.select(col(FirmStanding.firm_id), col(FirmStanding.kind))
        .where(in_force_on(ctx.today), ctx.auth.decide("standing", "read").where())
        .subquery("standing")
    )
    return (
        sa.select(
            serving.c.compound_id,
            serving.c.firm_id,
            latest.c.evaluation_id,
            latest.c.year,
            latest.c.scorer_count,
            latest.c.weighted_star_sum,
            standing.c.kind,
        )
        .outerjoin(
            latest,
            sa.and_(
                latest.c.compound_id == serving.c.compound_id,
                latest.c.subject_id == serving.c.firm_id,
                latest.c.rank == 1,
            ),
        )
        .outerjoin(standing, standing.c.firm_id == serving.c.firm_id)
        .where(serving.c.rank == 1)
    )


async def latest_firm_ratings(
    ctx: RequestContext, compound_ids: Sequence[int]
) -> dict[int, FirmRating]:
    """For each compound served by a firm today: that firm's latest rating and standing.

    Compounds no firm serves today are absent from the answer.
    """
    if not compound_ids:
        return {}
    rows: Any = await ctx.read(ratings_statement(ctx, compound_ids))
    found: dict[int, FirmRating] = {}
    for compound_id, firm_id, evaluation_id, year, scorers, weighted, kind in rows.all():
        found[int(compound_id)] = FirmRating(
            compound_id=int(compound_id),
            firm_id=int(firm_id),
            evaluation_id=evaluation_id,
            year=year,
            overall_stars=overall_stars(weighted, scorers),
            scorer_count=scorers,
            standing=None if kind is None else StandingList(kind),
        )
    return found
