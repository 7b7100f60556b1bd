"""Who may score an evaluation, and its result, in SQL.

Shared by the close mutation (resolvers/evaluations/actions.py) and the demo, so the
demo's closed evaluations hold exactly what closing them through the API would.

Eligible people, on a given day, are the distinct persons who
  - live in the compound (their residence compound), or
  - hold an active position with a branch or committee title (SCORING_TITLES) in an
    organisation of the compound (its party branch, owners' committee, supervisory board),
minus those holding an active position in the organisation under evaluation: nobody
scores their own firm or committee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationSubmission,
    Organisation,
    Person,
    Position,
    PositionTitle,
)
from db.periods import in_force_sql

# The titles that make their holder part of the branch or the committees (the roles
# secretary and committee_member in policies/grants.py; a test keeps the two in step).
SCORING_TITLES = frozenset(
    {
        PositionTitle.SECRETARY,
        PositionTitle.DEPUTY_SECRETARY,
        PositionTitle.BRANCH_COMMITTEE_MEMBER,
        PositionTitle.COMMITTEE_CHAIR,
        PositionTitle.COMMITTEE_MEMBER,
        PositionTitle.SUPERVISOR_BOARD_MEMBER,
        PositionTitle.SUPERVISORY_BOARD_CHAIR,
    }
)


def _holds_on(day: date) -> sa.ColumnElement[bool]:
    """A position is held from its start date up to, not including, its end date."""
    return in_force_sql(col(Position.start_date), col(Position.end_date), day)


def eligible_people(compound_id: int, subject_id: int, day: date) -> sa.Select[int]:
    """SELECT of the ids of the people who may score an evaluation (see the module note)."""
    residents: sa.Select[int] = sa.select(col(Person.id).label("person_id")).where(
        col(Person.residence_compound_id) == compound_id
    )
    office: sa.Select[int] = (
        sa.select(col(Position.person_id).label("person_id"))
        .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
        .where(
            col(Organisation.compound_id) == compound_id,
            col(Position.title).in_(sorted(SCORING_TITLES)),
            _holds_on(day),
        )
    )
    subject_members = sa.select(col(Position.person_id)).where(
        col(Position.organisation_id) == subject_id, _holds_on(day)
    )
    # UNION removes duplicates (a resident who also holds a branch position counts once);
    # a subquery, not EXCEPT, because SQLite cannot nest compound selects.
    candidates = sa.union(residents, office).subquery()
    return sa.select(candidates.c.person_id).where(candidates.c.person_id.not_in(subject_members))


async def is_eligible(
    session: AsyncSession, evaluation: Evaluation, person_id: int, day: date
) -> bool:
    people = eligible_people(evaluation.compound_id, evaluation.subject_id, day).subquery()
    found = await session.execute(
        sa.select(people.c.person_id).where(people.c.person_id == person_id).limit(1)
    )
    return found.first() is not None


@dataclass(frozen=True)
class FrozenResult:
    scorer_count: int
    eligible_count: int
    weighted_star_sum: int
    # criterion id -> (score count, star sum)
    criteria: dict[int, tuple[int, int]]


async def compute_result(session: AsyncSession, evaluation: Evaluation, day: date) -> FrozenResult:
    """The evaluation's figures from its submissions, aggregated in SQL.

    The eligible count is everyone eligible on DAY together with everyone who scored
    (someone who moved away after scoring still took part), so participation never
    exceeds 1.
    """
    evaluation_id = evaluation.id or 0
    per_criterion: Any = await session.execute(
        sa.select(
            col(EvaluationCriterion.id),
            sa.func.count(col(EvaluationScore.stars)),
            sa.func.coalesce(sa.func.sum(col(EvaluationScore.stars)), 0),
        )
        .outerjoin(EvaluationScore, col(EvaluationScore.criterion_id) == EvaluationCriterion.id)
        .where(col(EvaluationCriterion.evaluation_id) == evaluation_id)
        .group_by(col(EvaluationCriterion.id))
    )
    scorers: sa.Select[int] = sa.select(
        col(EvaluationSubmission.person_id).label("person_id")
    ).where(col(EvaluationSubmission.evaluation_id) == evaluation_id)
    everyone = sa.union(
        eligible_people(evaluation.compound_id, evaluation.subject_id, day), scorers
    ).subquery()
    weighted = (
        sa.select(
            sa.func.coalesce(
                sa.func.sum(col(EvaluationCriterion.weight) * col(EvaluationScore.stars)), 0
            )
        )
        .select_from(EvaluationScore)
        .join(EvaluationCriterion, col(EvaluationCriterion.id) == EvaluationScore.criterion_id)
        .where(col(EvaluationCriterion.evaluation_id) == evaluation_id)
        .scalar_subquery()
    )
    totals = (
        await session.execute(
            sa.select(
                sa.select(sa.func.count()).select_from(scorers.subquery()).scalar_subquery(),
                sa.select(sa.func.count()).select_from(everyone).scalar_subquery(),
                weighted,
            )
        )
    ).one()
    return FrozenResult(
        scorer_count=int(totals[0]),
        eligible_count=int(totals[1]),
        weighted_star_sum=int(totals[2]),
        criteria={int(cid): (int(count), int(total)) for cid, count, total in per_criterion.all()},
    )


def freeze(
    evaluation: Evaluation, criteria: list[EvaluationCriterion], result: FrozenResult
) -> None:
    """Store RESULT on the evaluation and its criteria (the caller marks it closed)."""
    evaluation.scorer_count = result.scorer_count
    evaluation.eligible_count = result.eligible_count
    evaluation.weighted_star_sum = result.weighted_star_sum
    for criterion in criteria:
        criterion.score_count, criterion.star_sum = result.criteria.get(criterion.id or 0, (0, 0))
