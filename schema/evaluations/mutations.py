"""Mutations of annual evaluations and firm standing; each is audited."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Annotated

import strawberry

from resolvers.audited import REDACTED
from resolvers.evaluations import actions as evaluation_actions
from resolvers.evaluations import standing
from resolvers.evaluations.actions import CLOSE_EVALUATION, OPEN_EVALUATION, SUBMIT_EVALUATION_SCORE
from resolvers.evaluations.standing import SET_FIRM_STANDING
from schema.context import Info
from schema.evaluations.inputs import (
    CloseEvaluationInput,
    OpenEvaluationInput,
    SetFirmStandingInput,
    SubmitEvaluationScoreInput,
)
from schema.evaluations.standing_types import FirmStandingType
from schema.evaluations.types import EvaluationType
from schema.mutation_support import INPUT, declared, decode_input


def _without_scores(input: SubmitEvaluationScoreInput) -> SimpleNamespace:
    """What a refused submission leaves in the audit log: never the stars or the comment."""
    return SimpleNamespace(
        evaluation=input.evaluation,
        scores=REDACTED,
        comment=None if input.comment is None else REDACTED,
    )


@strawberry.type(description="Annual evaluations and firm standing.")
class EvaluationMutation:
    @declared(
        OPEN_EVALUATION,
        "Open an evaluation (紅色物業星級評價) of the compound's property firm or owners' "
        "committee for this year or last, with weighted criteria and a scoring window.",
    )
    async def open_evaluation(
        self,
        info: Info,
        input: Annotated[OpenEvaluationInput, strawberry.argument(description=INPUT)],
    ) -> EvaluationType:
        data = await decode_input(info, OPEN_EVALUATION, input, input.to_domain)
        return EvaluationType.from_row(await evaluation_actions.open_evaluation(info.context, data))

    @declared(
        SUBMIT_EVALUATION_SCORE,
        "Score an open evaluation, once: every criterion 1–5 stars.",
        "A second submission is a CONFLICT; nobody else ever sees your stars. Returns the "
        "evaluation (see `myScore`).",
    )
    async def submit_evaluation_score(
        self,
        info: Info,
        input: Annotated[SubmitEvaluationScoreInput, strawberry.argument(description=INPUT)],
    ) -> EvaluationType:
        data = await decode_input(
            info, SUBMIT_EVALUATION_SCORE, _without_scores(input), input.to_domain
        )
        return EvaluationType.from_row(await evaluation_actions.submit_score(info.context, data))

    @declared(
        CLOSE_EVALUATION,
        "Close an open evaluation: scoring ends and the result (weighted means, participation) "
        "is computed and frozen.",
    )
    async def close_evaluation(
        self,
        info: Info,
        input: Annotated[CloseEvaluationInput, strawberry.argument(description=INPUT)],
    ) -> EvaluationType:
        data = await decode_input(info, CLOSE_EVALUATION, input, input.to_domain)
        return EvaluationType.from_row(
            await evaluation_actions.close_evaluation(info.context, data)
        )

    @declared(
        SET_FIRM_STANDING,
        "Put a property firm on the white or black list (黑白名單) for a term, optionally "
        "following a closed evaluation of it.",
    )
    async def set_firm_standing(
        self,
        info: Info,
        input: Annotated[SetFirmStandingInput, strawberry.argument(description=INPUT)],
    ) -> FirmStandingType:
        data = await decode_input(info, SET_FIRM_STANDING, input, input.to_domain)
        return FirmStandingType.from_row(await standing.set_firm_standing(info.context, data))
