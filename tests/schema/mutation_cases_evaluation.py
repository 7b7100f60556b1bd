"""The every-mutation walk's cases for annual evaluations and firm standing."""

from __future__ import annotations

from typing import Any

from db import clock
from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationSubmission,
    FirmStanding,
)
from tests.evaluation_helpers import committee_a, demo_evaluation, open_input, scores
from tests.helpers import Api
from tests.issue_helpers import FIRM_A, org
from tests.mutation_cases import Case


async def _open(api: Api) -> dict[str, Any]:
    return await open_input(api, subject=await committee_a(api))


async def _submit(api: Api) -> dict[str, Any]:
    evaluation = await demo_evaluation(api)
    return {"evaluation": evaluation["id"], "scores": scores(evaluation, [5, 4, 4, 3])}


async def _close(api: Api) -> dict[str, Any]:
    return {"evaluation": (await demo_evaluation(api))["id"]}


async def _set_standing(api: Api) -> dict[str, Any]:
    return {
        "firm": await org(api, FIRM_A),
        "list": "BLACK",
        "reason": "服務質量下降，業主投訴集中",
        "startsOn": clock.today().isoformat(),
    }


EVALUATION_TABLES = (EvaluationCriterion, EvaluationSubmission, EvaluationScore)

EVALUATION_CASES: dict[str, Case] = {
    "openEvaluation": Case("secretary", "committee_member", _open, Evaluation, EVALUATION_TABLES),
    "submitEvaluationScore": Case(
        "resident", "property_firm", _submit, EvaluationSubmission, (EvaluationScore, Evaluation)
    ),
    "closeEvaluation": Case("secretary", "resident", _close, Evaluation, EVALUATION_TABLES),
    "setFirmStanding": Case("supervisor", "secretary", _set_standing, FirmStanding),
}
