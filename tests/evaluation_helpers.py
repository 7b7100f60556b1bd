"""Helpers for the evaluation tests: open, score and close evaluations as demo roles, find the
demo's evaluations, and give more residents of a compound a real token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import clock
from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationStatus,
    EvaluationSubmission,
    FirmStanding,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    Person,
)
from db.paths import child_path
from resolvers.tokens.bearer import issue_token
from tests import mutation_cases
from tests.conftest import SECRET_KEY
from tests.helpers import Api, Result, gid
from tests.issue_helpers import (
    COMMITTEE_A,
    DISTRICT,
    FIRM_A,
    document,
    org_id,
)

EVALUATION = """
id year status opensAt closesAt closedAt acceptingScores version scorerCount
subjectName subjectKind subject { id name } compound { id }
criteria { id name weight position }
result { overallStars scorerCount eligibleCount participationRate
  criteria { criterion { name weight } scoreCount meanStars weightedStars } }
myScore { submittedAt comment scores { criterion { name } stars } }
"""
STANDING = """
id list reason startsOn endsOn inForce version firmName firm { id name } evaluation { id year }
"""
CRITERIA = [
    {"name": "服務態度", "weight": 50},
    {"name": "環境衛生", "weight": 30},
    {"name": "設施維修", "weight": 20},
]


def later(days: float = 14) -> str:
    return (clock.now() + timedelta(days=days)).isoformat()


async def run(
    api: Api, name: str, input: dict[str, Any], *, as_: str | None, selection: str = EVALUATION
) -> Result:
    return await api.run(document(name, selection), {"input": input}, as_=as_)


async def ok(
    api: Api, name: str, input: dict[str, Any], *, as_: str, selection: str = EVALUATION
) -> dict[str, Any]:
    data: dict[str, Any] = (await run(api, name, input, as_=as_, selection=selection)).ok()[name]
    return data


async def new_firm(
    api: Api, *, compound: str = "a", name: str = "新進駐物業有限公司", serving: bool = True
) -> int:
    """A property firm under the district, serving COMPOUND since yesterday unless not
    SERVING (written directly)."""
    district_id = await org_id(api, DISTRICT)
    async with api.db.write() as session:
        district = await session.get(Organisation, district_id)
        assert district is not None
        firm = Organisation(
            name=name,
            kind=OrganisationKind.PROPERTY_FIRM,
            parent_id=district.id,
            path="/pending/",
            depth=district.depth + 1,
        )
        session.add(firm)
        await session.flush()
        firm.path = child_path(district.path, firm.id or 0)
        if not serving:
            return firm.id or 0
        session.add(
            OrganisationLink(
                kind=LinkKind.SERVES,
                source_id=firm.id or 0,
                target_id=api.compound(compound),
                start_date=clock.today() - timedelta(days=1),
            )
        )
        await session.flush()
        return firm.id or 0


async def open_input(api: Api, subject: int | None = None, **fields: Any) -> dict[str, Any]:
    """The input of a valid openEvaluation in compound A (of a new firm unless SUBJECT)."""
    return {
        "compound": api.ids["compound_a"],
        "subject": gid("Organisation", subject or await new_firm(api)),
        "year": clock.today().year,
        "criteria": CRITERIA,
        "closesAt": later(),
        **fields,
    }


async def open_new(api: Api, **fields: Any) -> dict[str, Any]:
    return await ok(api, "openEvaluation", await open_input(api, **fields), as_="secretary")


def scores(evaluation: dict[str, Any], stars: list[int]) -> list[dict[str, Any]]:
    return [
        {"criterion": c["id"], "stars": s}
        for c, s in zip(evaluation["criteria"], stars, strict=True)
    ]


async def submit(
    api: Api, evaluation: dict[str, Any], stars: list[int], *, as_: str, comment: str | None = None
) -> Result:
    input: dict[str, Any] = {"evaluation": evaluation["id"], "scores": scores(evaluation, stars)}
    if comment is not None:
        input["comment"] = comment
    return await run(api, "submitEvaluationScore", input, as_=as_)


async def close(api: Api, evaluation: dict[str, Any], as_: str = "secretary") -> dict[str, Any]:
    return await ok(api, "closeEvaluation", {"evaluation": evaluation["id"]}, as_=as_)


async def read(api: Api, evaluation_id: str, as_: str) -> dict[str, Any] | None:
    query = f"query ($id: ID!) {{ node(id: $id) {{ ... on Evaluation {{ {EVALUATION} }} }} }}"
    node: dict[str, Any] | None = (await api.run(query, {"id": evaluation_id}, as_=as_)).ok()[
        "node"
    ]
    return node


async def demo_evaluation_id(
    api: Api, *, subject: str = FIRM_A, compound: str = "a", status: str = "OPEN"
) -> int:
    return int(
        await api.scalar(
            sa.select(Evaluation.id).where(
                Evaluation.subject_id == await org_id(api, subject),
                Evaluation.compound_id == api.compound(compound),
                Evaluation.status == EvaluationStatus(status),
            )
        )
    )


async def demo_evaluation(api: Api, as_: str = "secretary", **where: Any) -> dict[str, Any]:
    """A demo evaluation read through the API (default: 安居物業's open one in 繼光花苑)."""
    found = await read(api, gid("Evaluation", await demo_evaluation_id(api, **where)), as_)
    assert found is not None
    return found


async def committee_a(api: Api) -> int:
    return await org_id(api, COMMITTEE_A)


async def criteria_rows(api: Api, evaluation_id: int) -> list[EvaluationCriterion]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(EvaluationCriterion)
            .where(EvaluationCriterion.evaluation_id == evaluation_id)
            .order_by(EvaluationCriterion.position)
        )
        return list(rows.scalars().all())


async def resident_tokens(api: Api, compound: str, numbers: list[int]) -> list[str]:
    """Real tokens for residents number NUMBERS (by id order) of COMPOUND."""
    async with api.db.write() as session:
        ids = (
            (
                await session.execute(
                    sa.select(Person.id)
                    .where(Person.residence_compound_id == api.compound(compound))
                    .order_by(Person.id)
                )
            )
            .scalars()
            .all()
        )
        secrets = []
        for n in numbers:
            issued = await issue_token(
                session,
                person_id=int(ids[n]),
                name=f"test resident {compound}{n}",
                key=SECRET_KEY,
                lifetime=timedelta(days=1),
            )
            secrets.append(issued.secret)
        return secrets


TABLES: tuple[type[SQLModel], ...] = (
    Evaluation,
    EvaluationCriterion,
    EvaluationSubmission,
    EvaluationScore,
    FirmStanding,
)


async def snapshot(api: Api) -> list[list[tuple[Any, ...]]]:
    """Every row of the evaluation and standing tables."""
    return await mutation_cases.snapshot(api, TABLES)


async def refused(
    api: Api,
    name: str,
    input: dict[str, Any],
    as_: str,
    code: str,
    message: str = "",
    outcome: str | None = None,
) -> Result:
    """NAME is refused with CODE (and a message containing MESSAGE), changing none of the
    evaluation tables; see tests.mutation_cases.assert_refused."""
    result = await mutation_cases.assert_refused(
        api, name, input, as_=as_, code=code, tables=TABLES, outcome=outcome
    )
    assert message in result.errors[0]["message"]
    return result
