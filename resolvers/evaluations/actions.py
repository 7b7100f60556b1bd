"""Opening, scoring and closing an annual evaluation; each one audited mutation.

Rules:
- Opened by the compound's branch (evaluation:open) for the firm serving the compound
  under a contract in force today, or for the compound's own owners' committee; for this
  year or last; one per compound, subject and year (a unique index settles races).
- Criteria: 1 to MAX_CRITERIA, names unique (ignoring case and spacing), integer weights
  1–100 that sum to exactly 100 (percentages: no hidden normalisation).
- Scored (evaluation:score) while open and inside the window, by eligible people only
  (resolvers/evaluations/results.py), every criterion exactly once with 1–5 whole stars. One
  submission per person: a second is CONFLICT and cannot replace the first (a unique
  index holds under concurrency). Stars and comments never reach the audit log.
- Closed by the branch (evaluation:close) while open, at any time (before closesAt it
  ends the window early; after it, the window has ended but the result waits for the
  close): closing freezes the result, computed in SQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationStatus,
    EvaluationSubmission,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
)
from db.types import utcnow
from policies.grants import link_active_on
from resolvers.audited import AuditRecord
from resolvers.common import organisation_path
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.evaluations.inputs import (
    MAX_WINDOW,
    SUBJECT_KINDS,
    CloseEvaluation,
    OpenEvaluation,
    StarScore,
    SubmitScore,
    clean_criteria,
)
from resolvers.evaluations.queries import RESOURCE
from resolvers.evaluations.results import compute_result, freeze, is_eligible
from resolvers.i18n import tr
from resolvers.mutations import CreateMutation, Place, RowMutation, place
from resolvers.outbox import EventKind
from resolvers.text import clean_text
from resolvers.validation import aware_utc


async def _check_subject(
    session: AsyncSession, ctx: RequestContext, compound: Organisation, subject_id: int
) -> Organisation:
    subject = await session.get(Organisation, subject_id)
    if subject is None or subject.kind not in SUBJECT_KINDS:
        raise BadUserInput(
            tr(
                "The subject of an evaluation is the property firm serving the compound or the "
                "compound's owners' committee."
            )
        )
    if subject.kind is OrganisationKind.OWNERS_COMMITTEE and subject.compound_id != compound.id:
        raise BadUserInput(tr("The owners' committee evaluated must be this compound's own."))
    if subject.kind is OrganisationKind.PROPERTY_FIRM:
        serving = await session.execute(
            sa.select(col(OrganisationLink.id)).where(
                col(OrganisationLink.kind) == LinkKind.SERVES,
                col(OrganisationLink.source_id) == subject.id,
                col(OrganisationLink.target_id) == compound.id,
                link_active_on(ctx.today),
            )
        )
        if serving.first() is None:
            raise BadUserInput(
                tr("The firm evaluated must serve this compound under a contract in force today.")
            )
    return subject


async def _compound_place(
    ctx: RequestContext, session: AsyncSession, compound: Organisation
) -> Place:
    if compound.kind is not OrganisationKind.COMPOUND:
        raise BadUserInput(tr("An evaluation is held by a compound."))
    return place(compound.id, compound.path)


async def _evaluation_place(
    ctx: RequestContext, session: AsyncSession, evaluation: Evaluation
) -> Place:
    return place(evaluation.compound_id, await organisation_path(session, evaluation.compound_id))


async def _share_locked(session: AsyncSession, evaluation_id: int) -> Evaluation:
    """The evaluation, read under a shared lock: submissions run side by side, but a close
    (FOR UPDATE) waits for them, and they for it, so no score lands after the result."""
    statement = (
        sa.select(Evaluation)
        .where(col(Evaluation.id) == evaluation_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    )
    evaluation = (await session.execute(statement)).scalar_one()
    return evaluation


OPEN_EVALUATION = CreateMutation(
    operation="openEvaluation",
    resource=RESOURCE,
    action="open",
    what=tr("open evaluations in this compound"),
    needs=" over the compound (the secretary; admins)",
    model=Organisation,
    reads="organisation",
    noun=tr("compound"),
    locate=_compound_place,
    announces=EventKind.EVALUATION_OPENED,
)
SUBMIT_EVALUATION_SCORE = RowMutation(
    operation="submitEvaluationScore",
    resource=RESOURCE,
    action="score",
    what=tr("score evaluations in this compound"),
    needs=" (the compound's residents, branch and committee members, except members of the "
    "organisation evaluated)",
    model=Evaluation,
    noun=tr("evaluation"),
    locate=_evaluation_place,
    lock=_share_locked,
)
CLOSE_EVALUATION = RowMutation(
    operation="closeEvaluation",
    resource=RESOURCE,
    action="close",
    what=tr("close evaluations in this compound"),
    needs=" (the secretary; admins)",
    model=Evaluation,
    noun=tr("evaluation"),
    locate=_evaluation_place,
    announces=EventKind.EVALUATION_CLOSED,
)


async def open_evaluation(ctx: RequestContext, data: OpenEvaluation) -> Evaluation:
    async def apply(
        session: AsyncSession, compound: Organisation, record: AuditRecord
    ) -> Evaluation:
        subject = await _check_subject(session, ctx, compound, data.subject_id)
        this_year = ctx.today.year
        if not this_year - 1 <= data.year <= this_year:
            raise BadUserInput(
                tr(
                    "An evaluation covers this year or last ({last_year} or {this_year}).",
                    last_year=this_year - 1,
                    this_year=this_year,
                )
            )
        criteria = clean_criteria(data.criteria)
        now = utcnow()
        opens_at = now if data.opens_at is None else aware_utc(data.opens_at, tr("opening time"))
        closes_at = aware_utc(data.closes_at, tr("closing time"))
        if closes_at <= opens_at:
            raise BadUserInput(tr("The window must close after it opens."))
        if closes_at <= now:
            raise BadUserInput(tr("The window must close in the future."))
        if closes_at - opens_at > MAX_WINDOW:
            raise BadUserInput(tr("The window may stay open for at most 366 days."))
        taken = tr(
            "{name} already has an evaluation for {year} here.", name=subject.name, year=data.year
        )
        duplicate = await session.execute(
            sa.select(col(Evaluation.id)).where(
                col(Evaluation.compound_id) == compound.id,
                col(Evaluation.subject_id) == subject.id,
                col(Evaluation.year) == data.year,
            )
        )
        if duplicate.first() is not None:
            raise Conflict(taken)
        evaluation = Evaluation(
            compound_id=compound.id or 0,
            subject_id=subject.id or 0,
            year=data.year,
            opens_at=opens_at,
            closes_at=closes_at,
            opened_by_id=ctx.actor.person_id,
        )
        try:
            session.add(evaluation)
            await session.flush()
        except IntegrityError as exc:  # a concurrent open won; the rows are expired now
            raise Conflict(taken) from exc
        session.add_all(
            EvaluationCriterion(
                evaluation_id=evaluation.id or 0, position=n, name=spec.name, weight=spec.weight
            )
            for n, spec in enumerate(criteria, start=1)
        )
        await session.flush()
        record.target(evaluation.id, compound.id, compound.path)
        for name in ("compound_id", "subject_id", "year", "status", "opens_at", "closes_at"):
            record.change(name, None, getattr(evaluation, name))
        record.change("criteria", None, [{"name": c.name, "weight": c.weight} for c in criteria])
        return evaluation

    return await OPEN_EVALUATION.under(ctx, data.compound_id, apply, data=data)


def _check_window(evaluation: Evaluation) -> None:
    if evaluation.status is EvaluationStatus.CLOSED:
        raise BadUserInput(tr("This evaluation is closed; scores are no longer taken."))
    now = utcnow()
    if now < evaluation.opens_at:
        raise BadUserInput(
            tr("Scoring opens at {opens_at} (China time).", opens_at=evaluation.opens_at)
        )
    if now >= evaluation.closes_at:
        raise BadUserInput(
            tr("Scoring closed at {closes_at} (China time).", closes_at=evaluation.closes_at)
        )


async def _check_scores(
    session: AsyncSession, evaluation: Evaluation, scores: list[StarScore]
) -> None:
    criteria = set(
        (
            await session.execute(
                sa.select(col(EvaluationCriterion.id)).where(
                    col(EvaluationCriterion.evaluation_id) == evaluation.id
                )
            )
        )
        .scalars()
        .all()
    )
    given = [score.criterion_id for score in scores]
    if any(criterion not in criteria for criterion in given):
        raise BadUserInput(tr("Score only the criteria of this evaluation."))
    if len(given) != len(set(given)) or set(given) != criteria:
        raise BadUserInput(
            tr(
                "Score every criterion exactly once ({count_criteria} criteria).",
                count_criteria=len(criteria),
            )
        )
    if any(not 1 <= score.stars <= 5 for score in scores):
        raise BadUserInput(tr("Stars are whole numbers from 1 to 5."))


async def submit_score(ctx: RequestContext, data: SubmitScore) -> Evaluation:
    async def apply(
        session: AsyncSession, evaluation: Evaluation, record: AuditRecord
    ) -> Evaluation:
        person_id = ctx.require_actor()
        if not await is_eligible(session, evaluation, person_id, ctx.today):
            raise Forbidden(
                tr(
                    "You may not score this evaluation: it is scored by the compound's residents, "
                    "branch and committee members, not by members of the organisation evaluated."
                )
            )
        _check_window(evaluation)
        await _check_scores(session, evaluation, data.scores)
        comment = clean_text(data.comment, tr("comment"), required=False)
        mine = await session.execute(
            sa.select(col(EvaluationSubmission.submitted_at)).where(
                col(EvaluationSubmission.evaluation_id) == evaluation.id,
                col(EvaluationSubmission.person_id) == person_id,
            )
        )
        earlier = mine.scalar_one_or_none()
        if earlier is not None:
            raise Conflict(
                tr(
                    "You already scored this evaluation on {earlier}; a submission cannot be "
                    "changed.",
                    earlier=earlier,
                )
            )
        submission = EvaluationSubmission(
            evaluation_id=evaluation.id or 0, person_id=person_id, comment=comment
        )
        try:
            session.add(submission)
            await session.flush()
        except IntegrityError as exc:  # a concurrent submission of the same person won
            raise Conflict(
                tr("You already scored this evaluation; a submission cannot be changed.")
            ) from exc
        session.add_all(
            EvaluationScore(
                submission_id=submission.id or 0, criterion_id=s.criterion_id, stars=s.stars
            )
            for s in data.scores
        )
        await session.flush()
        # Who took part is in the log (as for every mutation); what they gave is not.
        record.change("submitted_at", None, submission.submitted_at)
        record.change("criteria_scored", None, len(data.scores))
        return evaluation

    return await SUBMIT_EVALUATION_SCORE.on(ctx, data.evaluation_id, apply, data=data.audit_input())


async def close_evaluation(ctx: RequestContext, data: CloseEvaluation) -> Evaluation:
    async def apply(
        session: AsyncSession, evaluation: Evaluation, record: AuditRecord
    ) -> Evaluation:
        if evaluation.status is EvaluationStatus.CLOSED:
            raise Conflict(
                tr(
                    "This evaluation was already closed at {closed_at} (China time).",
                    closed_at=evaluation.closed_at or "?",
                )
            )
        criteria = list(
            (
                await session.execute(
                    sa.select(EvaluationCriterion)
                    .where(col(EvaluationCriterion.evaluation_id) == evaluation.id)
                    .order_by(col(EvaluationCriterion.position))
                )
            )
            .scalars()
            .all()
        )
        result = await compute_result(session, evaluation, ctx.today)
        freeze(evaluation, criteria, result)
        now = utcnow()
        record.change("status", evaluation.status, EvaluationStatus.CLOSED)
        evaluation.status = EvaluationStatus.CLOSED
        evaluation.closed_at, evaluation.closed_by_id = now, ctx.actor.person_id
        for name in ("closed_at", "scorer_count", "eligible_count", "weighted_star_sum"):
            record.change(name, None, getattr(evaluation, name))
        evaluation.version += 1
        evaluation.updated_at = now
        await session.flush()
        return evaluation

    return await CLOSE_EVALUATION.on(ctx, data.evaluation_id, apply, data=data)
