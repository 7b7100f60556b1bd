"""Reading annual evaluations: lists and nodes scoped in SQL, the caller's own submission,
and the frozen result of a closed evaluation.

Privacy: nobody reads another person's stars or comment through the API. While an
evaluation is open only the number of people who scored shows; once closed, the result
shows aggregates, and the means are withheld when fewer than MIN_SCORERS_FOR_MEANS
people scored (a mean of one or two scores would give those scores away).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationStatus,
    EvaluationSubmission,
    Organisation,
    OrganisationKind,
)
from resolvers.common import scoped, visible_by_ids
from resolvers.context import RequestContext
from resolvers.pagination import Page, Window, keyset_page

RESOURCE = "evaluation"
MIN_SCORERS_FOR_MEANS = 3
# Weights are percentages: an evaluation's weights sum to exactly this.
WEIGHT_TOTAL = 100


@dataclass(frozen=True)
class EvaluationFilter:
    compound_id: int | None = None
    subject_id: int | None = None
    year: int | None = None
    status: EvaluationStatus | None = None


@dataclass(frozen=True)
class MySubmission:
    submission: EvaluationSubmission
    # criterion id -> stars
    stars: dict[int, int]


@dataclass(frozen=True)
class CriterionResult:
    criterion: EvaluationCriterion
    score_count: int
    mean_stars: float | None
    weighted_stars: float | None


@dataclass(frozen=True)
class EvaluationResult:
    scorer_count: int
    eligible_count: int
    participation_rate: float
    overall_stars: float | None
    criteria: list[CriterionResult]


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Evaluation]:
    return await visible_by_ids(ctx, Evaluation, RESOURCE, ids)


async def criteria_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, EvaluationCriterion]:
    """Criteria among IDS whose evaluation the caller may read."""
    if not ids:
        return {}
    visible = scoped(ctx, Evaluation, RESOURCE).with_only_columns(col(Evaluation.id))
    rows: list[EvaluationCriterion] = await read_whole(
        ctx.read,
        sa.select(EvaluationCriterion).where(
            col(EvaluationCriterion.id).in_(set(ids)),
            col(EvaluationCriterion.evaluation_id).in_(visible),
        ),
    )
    return {row.id: row for row in rows if row.id is not None}


async def criteria_of(
    ctx: RequestContext, evaluation_ids: Sequence[int]
) -> dict[int, list[EvaluationCriterion]]:
    """The criteria of evaluations the caller has already been allowed to read, in order."""
    rows: list[EvaluationCriterion] = await read_whole(
        ctx.read,
        sa.select(EvaluationCriterion)
        .where(col(EvaluationCriterion.evaluation_id).in_(set(evaluation_ids)))
        .order_by(col(EvaluationCriterion.evaluation_id), col(EvaluationCriterion.position)),
    )
    found: dict[int, list[EvaluationCriterion]] = {}
    for row in rows:
        found.setdefault(row.evaluation_id, []).append(row)
    return found


async def scorer_counts(ctx: RequestContext, evaluation_ids: Sequence[int]) -> dict[int, int]:
    """How many people have scored each evaluation so far (one grouped count)."""
    rows: Any = await ctx.read(
        sa.select(col(EvaluationSubmission.evaluation_id), sa.func.count())
        .where(col(EvaluationSubmission.evaluation_id).in_(set(evaluation_ids)))
        .group_by(col(EvaluationSubmission.evaluation_id))
    )
    return {int(evaluation_id): int(count) for evaluation_id, count in rows.all()}


async def my_submissions(
    ctx: RequestContext, evaluation_ids: Sequence[int]
) -> dict[int, MySubmission]:
    """The caller's own submissions to these evaluations, with their stars."""
    person_id = ctx.actor.person_id
    if person_id is None or not evaluation_ids:
        return {}
    rows: Any = await ctx.read(
        sa.select(EvaluationSubmission, EvaluationScore)
        .join(EvaluationScore, col(EvaluationScore.submission_id) == EvaluationSubmission.id)
        .where(
            col(EvaluationSubmission.person_id) == person_id,
            col(EvaluationSubmission.evaluation_id).in_(set(evaluation_ids)),
        )
    )
    found: dict[int, MySubmission] = {}
    for submission, score in rows.all():
        mine = found.setdefault(submission.evaluation_id, MySubmission(submission, {}))
        mine.stars[score.criterion_id] = score.stars
    return found


async def organisation_labels(
    ctx: RequestContext, ids: Sequence[int]
) -> dict[int, tuple[str, OrganisationKind]]:
    """Name and kind of the organisations an evaluation or standing entry is about.

    Unscoped on purpose and only ever asked for ids taken from a record the caller may read:
    the evaluated firm or committee is part of what that record says.
    """
    rows: Any = await ctx.read(
        sa.select(col(Organisation.id), col(Organisation.name), col(Organisation.kind)).where(
            col(Organisation.id).in_(set(ids))
        )
    )
    return {int(id_): (name, OrganisationKind(kind)) for id_, name, kind in rows.all()}


async def list_evaluations(
    ctx: RequestContext, filter: EvaluationFilter, window: Window
) -> Page[Evaluation]:
    statement = scoped(ctx, Evaluation, RESOURCE)
    if filter.compound_id is not None:
        statement = statement.where(col(Evaluation.compound_id) == filter.compound_id)
    if filter.subject_id is not None:
        statement = statement.where(col(Evaluation.subject_id) == filter.subject_id)
    if filter.year is not None:
        statement = statement.where(col(Evaluation.year) == filter.year)
    if filter.status is not None:
        statement = statement.where(col(Evaluation.status) == filter.status)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(Evaluation.year), col(Evaluation.id)],
        key_of=lambda e: (e.year, e.id),
        window=window,
        descending=True,
    )


def overall_stars(weighted_star_sum: int | None, scorer_count: int | None) -> float | None:
    """The overall weighted mean (every submission scores every criterion), or None when
    there are too few scorers to show means."""
    if weighted_star_sum is None or not scorer_count or scorer_count < MIN_SCORERS_FOR_MEANS:
        return None
    return round(weighted_star_sum / (WEIGHT_TOTAL * scorer_count), 2)


def result_of(
    evaluation: Evaluation, criteria: list[EvaluationCriterion]
) -> EvaluationResult | None:
    """The frozen result of a closed evaluation; None while it is open."""
    if evaluation.status is not EvaluationStatus.CLOSED:
        return None
    scorers = evaluation.scorer_count or 0
    eligible = evaluation.eligible_count or 0
    show = scorers >= MIN_SCORERS_FOR_MEANS
    rows = []
    for criterion in criteria:
        count, total = criterion.score_count or 0, criterion.star_sum or 0
        mean = total / count if show and count else None
        rows.append(
            CriterionResult(
                criterion=criterion,
                score_count=count,
                mean_stars=None if mean is None else round(mean, 2),
                weighted_stars=(
                    None if mean is None else round(mean * criterion.weight / WEIGHT_TOTAL, 2)
                ),
            )
        )
    return EvaluationResult(
        scorer_count=scorers,
        eligible_count=eligible,
        participation_rate=round(scorers / eligible, 4) if eligible else 0.0,
        overall_stars=overall_stars(evaluation.weighted_star_sum, scorers),
        criteria=rows,
    )
