"""The demo city's annual evaluations (紅色物業星級評價) and firm standing (黑白名單).

In each compound: last year's evaluation of its firm, closed with its result; this year's,
open with some scores (none by the demo token holders, who can still score it). In 繼光花苑
also last year's evaluation of the owners' committee. 上東小區 replaced its firm (the source
article: 推動更換物業): the old firm, 宏遠物業, served it until 2024 and was black-listed
after a poor 2023 evaluation. 安居物業 is on the white list, renewed after each evaluation.

Each is opened, scored and closed by its people through the actions of resolvers/evaluations/
with the clock at its moment, and the standing is set by the street's officer the same way.
Dates follow the demo day (`today`), so last year's evaluations are always closed and this
year's always open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.clock import CHINA_TIME
from db.models import EvaluationCriterion, LinkKind, OrganisationKind, StandingList
from db.types import utcnow
from demo.sample.build import DemoCity, create_org, link
from resolvers.context import RequestContext
from resolvers.evaluations.actions import (
    close_evaluation,
    open_evaluation,
    submit_score,
)
from resolvers.evaluations.inputs import (
    CloseEvaluation,
    CriterionSpec,
    OpenEvaluation,
    StarScore,
    SubmitScore,
)
from resolvers.evaluations.standing import SetFirmStanding, set_firm_standing

LOCAL = CHINA_TIME  # the compounds' calendar
OLD_FIRM = "宏遠物業服務有限公司"
OLD_FIRM_TERM = (date(2019, 1, 1), date(2024, 1, 1))
# Barred from tenders for three years after its dismissal.
OLD_FIRM_BARRED_UNTIL = date(2027, 1, 1)
TERMS_BEGIN = date(2024, 1, 1)  # the demo's positions start then
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
    # This year's window opened ten days ago, but never before the year began: an evaluation
    # of a year is opened in that year (openEvaluation refuses one ahead of it).
    new_year = _local(date(today.year, 1, 1), 0)
    this_year = (max(now - timedelta(days=10), new_year), now + timedelta(days=20))
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


async def _opener(city: DemoCity, plan: Plan) -> RequestContext:
    """The compound's secretary opens and closes its evaluations. The old firm's, in 2023, was
    the compound's business before the demo's branch took office (2024); the operator stands
    in for the secretary of then, who is not in the demo."""
    if plan.opens.date() < TERMS_BEGIN:
        return city.operator()
    return await city.as_person(f"{plan.compound}0")


async def _evaluate(city: DemoCity, plan: Plan, rng: random.Random) -> int:
    """Open the evaluation three days before its window (within its year), let its residents
    score it, and close it an hour after the window when the plan says it is closed; return
    its id."""
    orgs = city.organisations
    new_year = _local(date(plan.year, 1, 1), 0)
    with clock.frozen(max(plan.opens - timedelta(days=3), new_year)):
        evaluation = await open_evaluation(
            await _opener(city, plan),
            OpenEvaluation(
                compound_id=orgs[f"compound_{plan.compound}"].id or 0,
                subject_id=orgs[plan.subject].id or 0,
                year=plan.year,
                criteria=[CriterionSpec(name, weight) for name, weight in plan.criteria],
                closes_at=plan.closes,
                opens_at=plan.opens,
            ),
        )
    evaluation_id = evaluation.id or 0
    async with city.db.read_sessions() as session:
        criteria = (
            (
                await session.execute(
                    sa.select(col(EvaluationCriterion.id))
                    .where(col(EvaluationCriterion.evaluation_id) == evaluation_id)
                    .order_by(col(EvaluationCriterion.position))
                )
            )
            .scalars()
            .all()
        )
    # This year the token holders have not scored yet (they can try); last year the demo
    # residents ("a1", "b1") did, so their own score shows.
    skip = set(plan.exclude) | set(TOKEN_HOLDERS[plan.compound])
    pool = [n for n in range(30) if n not in skip]
    always = [1] if plan.closed else []
    chosen = rng.sample(pool, plan.scorers - len(always)) + always
    span = (plan.closes - plan.opens) if plan.closed else (utcnow() - plan.opens)
    for n in sorted(chosen):
        comment = rng.choice(COMMENTS) if rng.random() < 0.3 else None
        submitted_at = plan.opens + span * rng.uniform(0.05, 0.95)
        low, high = plan.stars
        scores = [
            # Mostly within the plan's range, now and then one star lower.
            StarScore(id or 0, max(1, rng.randint(low, high) - (1 if rng.random() < 0.1 else 0)))
            for id in criteria
        ]
        with clock.frozen(submitted_at):
            await submit_score(
                await city.as_person(f"{plan.compound}{n}"),
                SubmitScore(evaluation_id=evaluation_id, scores=scores, comment=comment),
            )
    if plan.closed:
        with clock.frozen(plan.closes + timedelta(hours=1)):
            await close_evaluation(
                await _opener(city, plan), CloseEvaluation(evaluation_id=evaluation_id)
            )
    return evaluation_id


async def load_demo_evaluations(
    city: DemoCity, *, today: date | None = None, seed: int = 2021
) -> None:
    """Add the demo evaluations, their scores and the firms' standing, through the actions."""
    rng = random.Random(f"{seed}:evaluations")
    today = today or clock.today()
    await _old_firm(city)
    evaluations: dict[str, int] = {}
    for plan in _plans(today, utcnow()):
        evaluations[plan.key] = await _evaluate(city, plan, rng)
    # The street's officer keeps the firms' standing, each entry set the day it starts.
    firm_a, old_firm = city.organisations["firm_a"].id or 0, city.organisations["old_firm"].id or 0
    entries = [
        SetFirmStanding(
            firm_id=firm_a,
            kind=StandingList.WHITE,
            reason="上年度紅色物業星級評價優良，列入白名單。",
            starts_on=date(today.year - 1, 1, 10),
            ends_on=date(today.year - 1, 12, 22),
        ),
        SetFirmStanding(
            firm_id=firm_a,
            kind=StandingList.WHITE,
            reason=f"{today.year - 1}年度紅色物業星級評價優良，續列白名單。",
            starts_on=date(today.year - 1, 12, 22),
            ends_on=date(today.year + 1, 1, 1),
            evaluation_id=evaluations["a_firm_last"],
        ),
        SetFirmStanding(
            firm_id=old_firm,
            kind=StandingList.BLACK,
            reason="2023年度評議僅得低星，業主大會決議解聘，三年內不得參與本街道物業項目招投標。",
            starts_on=OLD_FIRM_TERM[1],
            ends_on=OLD_FIRM_BARRED_UNTIL,
            evaluation_id=evaluations["b_old_firm"],
        ),
    ]
    for entry in entries:
        with clock.frozen(_local(entry.starts_on, 10)):
            await set_firm_standing(await city.as_person("officer"), entry)
