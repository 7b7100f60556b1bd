"""Real concurrency on evaluations: requests at once, each on its own connections and in
committed transactions. One submission per person and one evaluation per compound, subject
and year hold (unique indexes), and no score lands after the result is frozen.

These commit, so they remove what they made afterwards (their audit entries stay: the log
is append-only, and no test counts it absolutely).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import Database
from db.models import (
    ApiToken,
    AuditEntry,
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationSubmission,
)
from schema.ids import decode_id
from tests.conftest import SECRET_KEY
from tests.evaluation_helpers import (
    close,
    committee_a,
    demo_evaluation,
    open_input,
    resident_tokens,
    run,
    submit,
)
from tests.helpers import Api
from tests.issue_helpers import person_id

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

CALLERS = 10


async def _max(api: Api, column: Any) -> int:
    return int(await api.scalar(sa.select(sa.func.coalesce(sa.func.max(column), 0))))


@pytest.fixture
async def committed(engine: AsyncEngine, demo: dict[str, Any]) -> AsyncIterator[Api]:
    """An Api whose every request commits; what the test adds is deleted afterwards."""
    api = Api(
        db=Database.from_engine(engine),
        tokens=demo["tokens"],
        ids=demo["ids"],
        secret_key=SECRET_KEY,
    )
    marks = {
        "evaluation": await _max(api, Evaluation.id),
        "submission": await _max(api, EvaluationSubmission.id),
        "token": await _max(api, ApiToken.id),
    }
    try:
        yield api
    finally:
        async with api.db.write() as session:
            submissions = sa.select(EvaluationSubmission.id).where(
                EvaluationSubmission.id > marks["submission"]
            )
            await session.execute(
                sa.delete(EvaluationScore).where(EvaluationScore.submission_id.in_(submissions))  # type: ignore[attr-defined]
            )
            await session.execute(
                sa.delete(EvaluationSubmission).where(EvaluationSubmission.id > marks["submission"])  # type: ignore[arg-type]
            )
            await session.execute(
                sa.delete(EvaluationCriterion).where(
                    EvaluationCriterion.evaluation_id > marks["evaluation"]  # type: ignore[arg-type]
                )
            )
            await session.execute(sa.delete(Evaluation).where(Evaluation.id > marks["evaluation"]))  # type: ignore[arg-type]
            await session.execute(sa.delete(ApiToken).where(ApiToken.id > marks["token"]))  # type: ignore[arg-type]


async def _audit_since(api: Api, seq: int, operation: str) -> list[AuditEntry]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(AuditEntry)
            .where(AuditEntry.seq > seq, AuditEntry.operation == operation)
            .order_by(AuditEntry.seq)
        )
        return list(rows.scalars().all())


async def test_simultaneous_submissions_of_one_person_store_exactly_one(committed: Api) -> None:
    api = committed
    evaluation = await demo_evaluation(api)
    evaluation_id = decode_id(evaluation["id"], "Evaluation")
    seq = await _max(api, AuditEntry.seq)
    results = await asyncio.wait_for(
        asyncio.gather(
            *(submit(api, evaluation, [5, 4, 3, n % 5 + 1], as_="resident") for n in range(CALLERS))
        ),
        timeout=60,
    )
    winners = [r for r in results if not r.errors]
    assert len(winners) == 1, [r.errors for r in results]
    assert all(r.codes == ["CONFLICT"] for r in results if r.errors), [r.errors for r in results]
    me = await person_id(api, "resident")
    async with api.db.read_sessions() as session:
        stored = (
            (
                await session.execute(
                    sa.select(EvaluationSubmission).where(
                        EvaluationSubmission.evaluation_id == evaluation_id,
                        EvaluationSubmission.person_id == me,
                    )
                )
            )
            .scalars()
            .all()
        )
        assert len(stored) == 1
        stars = (
            await session.execute(
                sa.select(sa.func.count()).where(EvaluationScore.submission_id == stored[0].id)
            )
        ).scalar()
    assert stars == 4
    audit = await _audit_since(api, seq, "submitEvaluationScore")
    assert Counter((e.outcome, e.error_code) for e in audit) == {
        ("SUCCESS", None): 1,
        ("REJECTED", "CONFLICT"): CALLERS - 1,
    }


async def test_simultaneous_opens_make_one_evaluation(committed: Api) -> None:
    api = committed
    input = await open_input(api, subject=await committee_a(api))
    seq = await _max(api, AuditEntry.seq)
    results = await asyncio.wait_for(
        asyncio.gather(
            *(
                run(api, "openEvaluation", input, as_="secretary", selection="id")
                for _ in range(CALLERS)
            )
        ),
        timeout=60,
    )
    assert Counter(str(r.codes) for r in results) == {"[]": 1, "['CONFLICT']": CALLERS - 1}
    count = await api.scalar(
        sa.select(sa.func.count()).where(
            Evaluation.subject_id == await committee_a(api), Evaluation.year == input["year"]
        )
    )
    assert count == 1
    audit = await _audit_since(api, seq, "openEvaluation")
    assert Counter(e.outcome for e in audit) == {"SUCCESS": 1, "REJECTED": CALLERS - 1}


async def test_no_score_lands_after_the_result_is_frozen(committed: Api) -> None:
    """Scores and the close race: every score is either counted in the frozen result or
    refused because the evaluation closed."""
    api = committed
    opened = (
        await run(
            api,
            "openEvaluation",
            await open_input(api, subject=await committee_a(api)),
            as_="secretary",
        )
    ).ok()["openEvaluation"]
    voters = await resident_tokens(api, "a", [10, 11, 13, 14, 16, 17, 19, 20])
    calls = [submit(api, opened, [4, 3, 5], as_=who) for who in voters]
    calls.insert(len(calls) // 2, close(api, opened))
    results = await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), timeout=60)
    assert not [r for r in results if isinstance(r, BaseException)], results
    submitted = [r for r in results if not isinstance(r, dict) and not r.errors]
    refused = [r for r in results if not isinstance(r, dict) and r.errors]
    assert all(r.codes == ["BAD_USER_INPUT"] for r in refused), [r.errors for r in refused]
    evaluation_id = decode_id(opened["id"], "Evaluation")
    async with api.db.read_sessions() as session:
        frozen = await session.get(Evaluation, evaluation_id)
        assert frozen is not None
        rows = await session.scalar(
            sa.select(sa.func.count()).where(EvaluationSubmission.evaluation_id == evaluation_id)
        )
    assert frozen.status == "CLOSED"
    assert frozen.scorer_count == rows == len(submitted)
    assert frozen.weighted_star_sum == len(submitted) * (4 * 50 + 3 * 30 + 5 * 20)
