"""The Evaluation node (紅色物業星級評價, 評議), its criteria, result and the caller's own score."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationStatus,
    OrganisationKind,
)
from db.types import utcnow
from resolvers.evaluations import queries as evaluations
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.evaluations import loaders
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType

EvaluationStatusEnum = strawberry.enum(
    EvaluationStatus,
    name="EvaluationStatus",
    description="OPEN: scores are taken inside the window (opensAt ≤ now < closesAt). CLOSED: "
    "the branch closed it; the result is frozen and shown.",
)

PRIVACY = (
    "Nobody reads another person's stars or comment: while OPEN only `scorerCount` shows; once "
    "CLOSED, `result` shows aggregates, with the means withheld when fewer than "
    f"{evaluations.MIN_SCORERS_FOR_MEANS} people scored."
)


@strawberry.type(
    name="EvaluationCriterion",
    description="A named criterion of an evaluation and its weight, a percentage (an "
    "evaluation's weights sum to 100). Readable with its evaluation.",
)
class EvaluationCriterionType(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What is judged, e.g. 服務態度 (service attitude).")
    weight: int = strawberry.field(description="Its share of the overall stars, in percent.")
    position: int = strawberry.field(description="Its place in the list, from 1.")
    _row: strawberry.Private[EvaluationCriterion]

    @classmethod
    def from_row(cls, row: EvaluationCriterion) -> Self:
        assert row.id is not None
        return cls(id=row.id, name=row.name, weight=row.weight, position=row.position, _row=row)

    @strawberry.field(description="The evaluation it belongs to.")
    async def evaluation(self, info: Info) -> EvaluationType | None:
        row = await loaders.evaluation(info.context).load(self._row.evaluation_id)
        return EvaluationType.from_row(row) if row else None


@strawberry.type(description="The stars given to one criterion.")
class CriterionStars:
    criterion: EvaluationCriterionType = strawberry.field(description="The criterion.")
    stars: int = strawberry.field(description="1 (poor) to 5 (excellent).")


@strawberry.type(
    description="Your own submission to an evaluation; nobody else can read it through the API."
)
class MyEvaluationScore:
    submitted_at: datetime = strawberry.field(description="When you submitted it (UTC).")
    comment: str | None = strawberry.field(description="Your comment, if you gave one.")
    scores: list[CriterionStars] = strawberry.field(
        description="Your stars per criterion, in the criteria's order."
    )


@strawberry.type(description="One criterion's share of a closed evaluation's result.")
class CriterionResult:
    criterion: EvaluationCriterionType = strawberry.field(description="The criterion.")
    score_count: int = strawberry.field(description="How many people scored it.")
    mean_stars: float | None = strawberry.field(
        description="The mean of its stars (1–5), rounded to 2 decimals; null when fewer than "
        f"{evaluations.MIN_SCORERS_FOR_MEANS} people scored."
    )
    weighted_stars: float | None = strawberry.field(
        description="Its contribution to the overall stars: meanStars × weight / 100, rounded "
        "to 2 decimals (the overall is computed from exact sums, so these may add up to it "
        "±0.01); null when the mean is withheld."
    )


@strawberry.type(
    description="The frozen result of a closed evaluation, computed in SQL when it was closed."
)
class EvaluationResult:
    overall_stars: float | None = strawberry.field(
        description="The weighted mean: Σ(weight × mean stars of the criterion) / 100, rounded "
        "to 2 decimals (every submission scores every criterion, so this is also the mean of "
        f"each scorer's weighted stars); null when fewer than "
        f"{evaluations.MIN_SCORERS_FOR_MEANS} people scored."
    )
    scorer_count: int = strawberry.field(description="How many people scored.")
    eligible_count: int = strawberry.field(
        description="How many people could score, counted when it closed: the distinct persons "
        "who lived in the compound or held an active branch or committee position there "
        "(secretary, deputy secretary, branch committee member, committee chair or member, "
        "supervisory board member), less those holding an active position in the organisation "
        "evaluated (nobody scores their own firm or committee), plus anyone who scored and "
        "has since moved away."
    )
    participation_rate: float = strawberry.field(
        description="scorerCount / eligibleCount, from 0 to 1, rounded to 4 decimals (0 when "
        "nobody was eligible)."
    )
    criteria: list[CriterionResult] = strawberry.field(
        description="Per criterion, in the criteria's order."
    )


@strawberry.type(
    name="Evaluation",
    description="One year's evaluation (紅色物業星級評價, 評議) of a compound's property firm or "
    "owners' committee, led by the compound party branch. Readable in the compound's subtree "
    "(permission evaluation:read: its residents, branch and committees, the firm serving it, "
    "supervisors, admins); opened and closed by the secretary (evaluation:open, "
    "evaluation:close); scored by the compound's residents, branch and committee members "
    "(evaluation:score), once each. " + PRIVACY,
)
class EvaluationType(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year of service evaluated.")
    status: EvaluationStatus = strawberry.field(description="OPEN or CLOSED.")
    opens_at: datetime = strawberry.field(description="When scoring opens (UTC).")
    closes_at: datetime = strawberry.field(
        description="When scoring ends (UTC), unless the branch closes it earlier."
    )
    closed_at: datetime | None = strawberry.field(
        description="When the branch closed it and the result was frozen."
    )
    created_at: datetime = strawberry.field(description="When it was opened (UTC).")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[Evaluation]

    @classmethod
    def from_row(cls, row: Evaluation) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            year=row.year,
            status=row.status,
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            closed_at=row.closed_at,
            created_at=row.created_at,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Whether a score submitted now would be taken.")
    def accepting_scores(self) -> bool:
        now = utcnow()
        return (
            self._row.status is EvaluationStatus.OPEN
            and self._row.opens_at <= now < self._row.closes_at
        )

    @strawberry.field(description="The compound holding it.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="The property firm or owners' committee evaluated, if you may see it (a "
        "firm that no longer serves the compound may not be visible: see subjectName)."
    )
    async def subject(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.subject_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The name of the organisation evaluated, always shown.")
    async def subject_name(self, info: Info) -> str:
        name, _ = await loaders.organisation_label(info.context).load(self._row.subject_id)
        return name

    @strawberry.field(description="PROPERTY_FIRM or OWNERS_COMMITTEE.")
    async def subject_kind(self, info: Info) -> OrganisationKind:
        _, kind = await loaders.organisation_label(info.context).load(self._row.subject_id)
        return kind

    @strawberry.field(description="The criteria and their weights, in order.")
    async def criteria(self, info: Info) -> list[EvaluationCriterionType]:
        rows = await loaders.evaluation_criteria(info.context).load(self.id)
        return [EvaluationCriterionType.from_row(row) for row in rows]

    @strawberry.field(
        description="How many people have scored so far; who they are and what they gave is "
        "never shown."
    )
    async def scorer_count(self, info: Info) -> int:
        return await loaders.evaluation_scorer_count(info.context).load(self.id)

    @strawberry.field(description="The result, once CLOSED; null while OPEN. " + PRIVACY)
    async def result(self, info: Info) -> EvaluationResult | None:
        if self._row.status is not EvaluationStatus.CLOSED:
            return None
        criteria = await loaders.evaluation_criteria(info.context).load(self.id)
        result = evaluations.result_of(self._row, criteria)
        if result is None:
            return None
        return EvaluationResult(
            overall_stars=result.overall_stars,
            scorer_count=result.scorer_count,
            eligible_count=result.eligible_count,
            participation_rate=result.participation_rate,
            criteria=[
                CriterionResult(
                    criterion=EvaluationCriterionType.from_row(c.criterion),
                    score_count=c.score_count,
                    mean_stars=c.mean_stars,
                    weighted_stars=c.weighted_stars,
                )
                for c in result.criteria
            ],
        )

    @strawberry.field(
        description="Your own submission, if you scored this evaluation; null otherwise."
    )
    async def my_score(self, info: Info) -> MyEvaluationScore | None:
        mine = await loaders.my_evaluation_score(info.context).load(self.id)
        if mine is None:
            return None
        criteria = await loaders.evaluation_criteria(info.context).load(self.id)
        return MyEvaluationScore(
            submitted_at=mine.submission.submitted_at,
            comment=mine.submission.comment,
            scores=[
                CriterionStars(
                    criterion=EvaluationCriterionType.from_row(c), stars=mine.stars[c.id or 0]
                )
                for c in criteria
                if c.id in mine.stars
            ],
        )

    audit_trail = audit_trail_field("evaluation")


register_node("evaluation", EvaluationType, loaders.evaluation)
register_node("evaluation_criterion", EvaluationCriterionType, loaders.evaluation_criterion)
