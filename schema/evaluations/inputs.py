"""Inputs of annual evaluations and firm standing: one per mutation, plus the list filters."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from db.models import EvaluationStatus, StandingList
from resolvers.evaluations import inputs, standing
from resolvers.evaluations import queries as evaluations
from schema.evaluations.standing_types import StandingListEnum  # noqa: F401

# Imported for their GraphQL enum registration.
from schema.evaluations.types import EvaluationStatusEnum  # noqa: F401
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of evaluations; all given conditions apply.")
class EvaluationFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    subject: strawberry.ID | None = strawberry.field(
        default=None, description="Of this property firm or owners' committee."
    )
    year: int | None = strawberry.field(default=None, description="For this year.")
    status: EvaluationStatus | None = strawberry.field(default=None, description="OPEN or CLOSED.")

    def to_domain(self) -> evaluations.EvaluationFilter:
        return evaluations.EvaluationFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            subject_id=decode_optional(self.subject, "Organisation"),
            year=self.year,
            status=self.status,
        )


@strawberry.input(description="A criterion of a new evaluation.")
class CriterionInput:
    name: str = strawberry.field(
        description="What is judged (1–100 characters, unique within the evaluation ignoring "
        "case and spacing)."
    )
    weight: int = strawberry.field(
        description="Its share in percent, a whole number from 1 to 100; the weights of an "
        "evaluation must sum to exactly 100."
    )


@strawberry.input(
    description="Open this year's (or last year's) evaluation of a compound's firm or its "
    "owners' committee."
)
class OpenEvaluationInput:
    compound: strawberry.ID = strawberry.field(description="The compound holding it.")
    subject: strawberry.ID = strawberry.field(
        description="The property firm serving the compound under a contract in force today, or "
        "the compound's owners' committee."
    )
    year: int = strawberry.field(
        description="The year of service evaluated: this year or last. One evaluation per "
        "compound, subject and year."
    )
    criteria: list[CriterionInput] = strawberry.field(
        description="1 to 10 criteria whose weights sum to 100."
    )
    closes_at: datetime = strawberry.field(
        description="When scoring ends, with its time zone; in the future, after opensAt and "
        "at most 366 days after it."
    )
    opens_at: datetime | None = strawberry.field(
        default=None, description="When scoring starts, with its time zone; now when omitted."
    )

    def to_domain(self) -> inputs.OpenEvaluation:
        return inputs.OpenEvaluation(
            compound_id=decode_id(self.compound, "Organisation"),
            subject_id=decode_id(self.subject, "Organisation"),
            year=self.year,
            criteria=[inputs.CriterionSpec(c.name, c.weight) for c in self.criteria],
            closes_at=self.closes_at,
            opens_at=self.opens_at,
        )


@strawberry.input(description="Your stars for one criterion.")
class CriterionScoreInput:
    criterion: strawberry.ID = strawberry.field(description="The criterion (EvaluationCriterion).")
    stars: int = strawberry.field(description="A whole number from 1 (poor) to 5 (excellent).")


@strawberry.input(
    description="Your scores for an open evaluation: every criterion exactly once. One "
    "submission per person; it cannot be changed afterwards. Your stars and comment are never "
    "shown to anyone else nor written to the audit log."
)
class SubmitEvaluationScoreInput:
    evaluation: strawberry.ID = strawberry.field(description="The evaluation.")
    scores: list[CriterionScoreInput] = strawberry.field(
        description="Stars for each of its criteria."
    )
    comment: str | None = strawberry.field(
        default=None, description="A remark for the record (at most 2000 characters)."
    )

    def to_domain(self) -> inputs.SubmitScore:
        return inputs.SubmitScore(
            evaluation_id=decode_id(self.evaluation, "Evaluation"),
            scores=[
                inputs.StarScore(decode_id(s.criterion, "EvaluationCriterion"), s.stars)
                for s in self.scores
            ],
            comment=self.comment,
        )


@strawberry.input(description="Close an open evaluation and freeze its result.")
class CloseEvaluationInput:
    evaluation: strawberry.ID = strawberry.field(description="The evaluation.")

    def to_domain(self) -> inputs.CloseEvaluation:
        return inputs.CloseEvaluation(decode_id(self.evaluation, "Evaluation"))


@strawberry.input(description="Put a property firm on the white or black list for a term.")
class SetFirmStandingInput:
    firm: strawberry.ID = strawberry.field(description="The property firm.")
    list: StandingList = strawberry.field(description="WHITE or BLACK.")
    reason: str = strawberry.field(description="Why (1–2000 characters).")
    starts_on: date = strawberry.field(
        description="First day in force; after the start of every earlier entry of the firm "
        "(the entry running then ends on this day)."
    )
    ends_on: date | None = strawberry.field(
        default=None, description="The day it ends (after startsOn); open-ended when omitted."
    )
    evaluation: strawberry.ID | None = strawberry.field(
        default=None, description="The closed evaluation of this firm it follows, if any."
    )

    def to_domain(self) -> standing.SetFirmStanding:
        return standing.SetFirmStanding(
            firm_id=decode_id(self.firm, "Organisation"),
            kind=self.list,
            reason=self.reason,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            evaluation_id=decode_optional(self.evaluation, "Evaluation"),
        )


@strawberry.input(description="Narrow the list of firm standing entries.")
class FirmStandingFilter:
    firm: strawberry.ID | None = strawberry.field(default=None, description="Of this firm.")
    list: StandingList | None = strawberry.field(default=None, description="WHITE or BLACK.")
    in_force_on: date | None = strawberry.field(
        default=None, description="In force on this day (startsOn ≤ day < endsOn)."
    )

    def to_domain(self) -> standing.StandingFilter:
        return standing.StandingFilter(
            firm_id=decode_optional(self.firm, "Organisation"),
            kind=self.list,
            in_force_on=self.in_force_on,
        )
