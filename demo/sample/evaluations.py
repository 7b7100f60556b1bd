"""The demo city's annual evaluations (紅色物業星級評價) and firm standing (黑白名單).

In each compound: last year's evaluation of its firm, closed with its result; this year's,
open with some scores (none by the demo token holders, who can still score it). In 繼光花苑
also last year's evaluation of the owners' committee. 上東小區 replaced its firm (the source
article: 推動更換物業): the old firm, 宏遠物業, served it until 2024 and was black-listed
after a poor 2023 evaluation. 安居物業 is on the white list, renewed after each evaluation.

Results are frozen with the same SQL the close mutation uses (resolvers/evaluations/results.py).
Dates follow the demo day (`today`), so last year's evaluations are always closed and this
year's always open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db import clock
from db.clock import CHINA_TIME
from db.models import (
    Evaluation,
    EvaluationCriterion,
    EvaluationScore,
    EvaluationStatus,
    EvaluationSubmission,
    FirmStanding,
    LinkKind,
    OrganisationKind,
    StandingList,
)
from db.types import utcnow
from demo.sample.build import DemoCity, create_org, link
from resolvers.evaluations.results import compute_result, freeze

LOCAL = CHINA_TIME  # the compounds' calendar
OLD_FIRM = "宏遠物業服務有限公司"
OLD_FIRM_TERM = (date(2019, 1, 1), date(2024, 1, 1))
FIRM_CRITERIA = (("服務態度", 30), ("環境衛生", 25), ("秩序維護", 25), ("設施維修", 20))
COMMITTEE_CRITERIA = (("履職盡責", 40), ("財務公開", 30), ("聯繫群眾", 30))
# Residents who hold no position and no demo token: the ordinary scorers.
TOKEN_HOLDERS = {"a": (0, 1, 3), "b": (1,)}
COMMENTS = (
    "保安巡邏比以前勤了，值得肯定。",
    "電梯維修響應太慢，希望改進。",
    "垃圾分類點清運及時，環境乾淨。",
    "停車秩序還需加強管理。",
    "公共收益公開透明，點贊。",
)


@dataclass(frozen=True)
class Plan:
    key: str  # a name for this plan, to link standing entries to it
    compound: str  # "a" or "b"
    subject: str  # key of city.organisations
    year: int
    criteria: tuple[tuple[str, int], ...]
    opens: datetime
    closes: datetime
    scorers: int
    stars: tuple[int, int]  # the range scorers mostly give
    closed: bool
    exclude: tuple[int, ...] = ()  # residents who may not score (members of the subject)


def _local(day: date, hour: float) -> datetime:
    moment = datetime.combine(day, time()) + timedelta(hours=hour)
    return moment.replace(tzinfo=LOCAL).astimezone(UTC)


def _plans(today: date, now: datetime) -> list[Plan]:
    last = today.year - 1
    december = (_local(date(last, 12, 1), 9), _local(date(last, 12, 21), 18))
    this_year = (now - timedelta(days=10), now + timedelta(days=20))
    return [
        Plan("a_firm_last", "a", "firm_a", last, FIRM_CRITERIA, *december, 20, (4, 5), True,
             exclude=(24,)),
        Plan("a_firm_now", "a", "firm_a", today.year, FIRM_CRITERIA, *this_year, 8, (3, 5),
             False, exclude=(24,)),
        Plan("a_committee_last", "a", "committee_a", last, COMMITTEE_CRITERIA, *december, 14,
             (3, 5), True, exclude=(3, 4, 7, 9)),
        Plan("b_firm_last", "b", "firm_b", last, FIRM_CRITERIA, *december, 15, (3, 5), True),
        Plan("b_firm_now", "b", "firm_b", today.year, FIRM_CRITERIA, *this_year, 6, (3, 4),
             False),
        Plan("b_old_firm", "b", "old_firm", 2023, FIRM_CRITERIA,
             _local(date(2023, 11, 20), 9), _local(date(2023, 12, 10), 18), 18, (1, 3), True),
    ]  # fmt: skip


async def _old_firm(city: DemoCity) -> None:
    await create_org(city, "old_firm", OLD_FIRM, OrganisationKind.PROPERTY_FIRM, "district")
    await link(city, LinkKind.SERVES, "old_firm", "compound_b", *OLD_FIRM_TERM)


async def _evaluate(
    session: AsyncSession, city: DemoCity, plan: Plan, today: date, rng: random.Random
) -> Evaluation:
    orgs, people = city.organisations, city.people
    secretary = people[f"{plan.compound}0"]
    evaluation = Evaluation(
        compound_id=orgs[f"compound_{plan.compound}"].id or 0,
        subject_id=orgs[plan.subject].id or 0,
        year=plan.year,
        opens_at=plan.opens,
        closes_at=plan.closes,
        opened_by_id=secretary.id,
        created_at=plan.opens - timedelta(days=3),
        updated_at=plan.opens - timedelta(days=3),
    )
    session.add(evaluation)
    await session.flush()
    criteria = [
        EvaluationCriterion(evaluation_id=evaluation.id or 0, position=n, name=name, weight=weight)
        for n, (name, weight) in enumerate(plan.criteria, start=1)
    ]
    session.add_all(criteria)
    await session.flush()
    # This year the token holders have not scored yet (they can try); last year the demo
    # residents ("a1", "b1") did, so their own score shows.
    skip = set(plan.exclude) | set(TOKEN_HOLDERS[plan.compound])
    pool = [n for n in range(30) if n not in skip]
    always = [1] if plan.closed else []
    chosen = rng.sample(pool, plan.scorers - len(always)) + always
    span = (plan.closes - plan.opens) if plan.closed else (utcnow() - plan.opens)
    for n in sorted(chosen):
        submission = EvaluationSubmission(
            evaluation_id=evaluation.id or 0,
            person_id=people[f"{plan.compound}{n}"].id or 0,
            comment=rng.choice(COMMENTS) if rng.random() < 0.3 else None,
            submitted_at=plan.opens + span * rng.uniform(0.05, 0.95),
        )
        session.add(submission)
        await session.flush()
        low, high = plan.stars
        session.add_all(
            EvaluationScore(
                submission_id=submission.id or 0,
                criterion_id=c.id or 0,
                # Mostly within the plan's range, now and then one star lower.
                stars=max(1, rng.randint(low, high) - (1 if rng.random() < 0.1 else 0)),
            )
            for c in criteria
        )
    await session.flush()
    if plan.closed:
        freeze(evaluation, criteria, await compute_result(session, evaluation, today))
        evaluation.status = EvaluationStatus.CLOSED
        evaluation.closed_at = plan.closes + timedelta(hours=1)
        evaluation.closed_by_id = secretary.id
        evaluation.version += 1
        evaluation.updated_at = evaluation.closed_at
    return evaluation


async def load_demo_evaluations(
    city: DemoCity, *, today: date | None = None, seed: int = 2021
) -> None:
    """Add the demo evaluations, their scores and the firms' standing."""
    today = today or clock.today()
    await _old_firm(city)
    async with city.db.write() as session:
        await _evaluations(session, city, today, seed)


async def _evaluations(session: AsyncSession, city: DemoCity, today: date, seed: int) -> None:
    rng = random.Random(f"{seed}:evaluations")
    evaluations: dict[str, Evaluation] = {}
    for plan in _plans(today, utcnow()):
        evaluations[plan.key] = await _evaluate(session, city, plan, today, rng)
    orgs, officer = city.organisations, city.people["officer"].id
    last = evaluations["a_firm_last"]
    entries = [
        FirmStanding(
            firm_id=orgs["firm_a"].id or 0,
            kind=StandingList.WHITE,
            reason="上年度紅色物業星級評價優良，列入白名單。",
            starts_on=date(today.year - 1, 1, 10),
            ends_on=date(today.year - 1, 12, 22),
            set_by_id=officer,
        ),
        FirmStanding(
            firm_id=orgs["firm_a"].id or 0,
            kind=StandingList.WHITE,
            reason=f"{last.year}年度紅色物業星級評價優良，續列白名單。",
            starts_on=date(today.year - 1, 12, 22),
            ends_on=date(today.year + 1, 1, 1),
            evaluation_id=last.id,
            set_by_id=officer,
        ),
        FirmStanding(
            firm_id=orgs["old_firm"].id or 0,
            kind=StandingList.BLACK,
            reason="2023年度評議僅得低星，業主大會決議解聘，三年內不得參與本街道物業項目招投標。",
            starts_on=OLD_FIRM_TERM[1],
            ends_on=date(2027, 1, 1),
            evaluation_id=evaluations["b_old_firm"].id,
            set_by_id=officer,
        ),
    ]
    session.add_all(entries)
    await session.flush()
