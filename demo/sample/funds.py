"""The demo city's funds (經費與公共收益): the street grants each compound's party branch its
start-up fund (3,000 yuan, when the branch was set up) and this year's running fund (2,000
yuan), and each branch's secretary records one thing it paid for out of them (A a party day,
B visits to members in hardship); each owners' committee records its public revenue and pays
some of it out: A spends on repairs and community services, B pays the owners their first
dividend from parking revenue (as 上東小區 did in the article). Each committee then publishes
the year's fund statement to its residents as a FINANCES notice. Everything goes through the
actions of resolvers/funds/ by its people, with the clock at its moment, backdated from today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db import clock
from db.models import FundCategory
from demo.sample.build import DemoCity
from demo.sample.moments import utc_hour as _at
from resolvers.funds.actions import (
    DistributeRevenue,
    GrantFunds,
    RecordPublicRevenue,
    distribute_revenue,
    grant_funds,
    record_public_revenue,
)
from resolvers.funds.spending import SpendBranchFunds, spend_branch_funds
from resolvers.funds.statements import PublishFundStatement, publish_fund_statement

C = FundCategory
# The committee's chair (resident 9 of each compound) keeps its accounts.
CHAIR = 9
START_UP_DAYS_AGO = 300


@dataclass(frozen=True)
class Movement:
    compound: str
    category: FundCategory
    yuan: int
    days_ago: int
    memo: str
    revenue: bool  # True: received; False: paid out


# fmt: off
MOVEMENTS: tuple[Movement, ...] = (
    Movement("a", C.ADVERTISING, 12_600, 60, "電梯廣告（第三季度）", True),
    Movement("a", C.PARKING, 8_450, 40, "臨時停車收費", True),
    Movement("a", C.VENUE_RENTAL, 1_200, 25, "活動室場地出租", True),
    Movement("a", C.MAINTENANCE, 3_200, 20, "監控設備維修", False),
    Movement("a", C.COMMUNITY_SERVICES, 1_850, 12, "綠化補種", False),
    Movement("b", C.PARKING, 38_000, 50, "本年度停車收益", True),
    Movement("b", C.VENUE_RENTAL, 2_400, 35, "場所租賃收益", True),
    Movement("b", C.OWNER_DIVIDEND, 19_000, 8, "按業主大會決議首次向業主分紅", False),
)
# fmt: on
# What each branch's secretary paid for: (compound, secretary, category, yuan, days ago, purpose).
SPENDING = (
    ("a", "a0", C.PARTY_ACTIVITIES, 680, 20, "七一主題黨日活動物資"),
    ("b", "b0", C.RESIDENT_SERVICES, 450, 15, "走訪慰問困難黨員"),
)


def _this_year(today: date, days_ago: int) -> date:
    """DAYS_AGO before TODAY, but not before 1 January (a running fund is for this year)."""
    return max(today - timedelta(days=days_ago), date(today.year, 1, 1))


async def _grants(city: DemoCity, key: str, today: date) -> None:
    branch = city.organisations[f"branch_{key}"].id or 0
    started = today - timedelta(days=START_UP_DAYS_AGO)
    for category, day in ((C.START_UP, started), (C.RUNNING, _this_year(today, 30))):
        with clock.frozen(_at(day, 2)):
            await grant_funds(
                await city.as_person("officer"),
                GrantFunds(branch_id=branch, category=category, granted_on=day),
            )


async def _spending(city: DemoCity, today: date) -> None:
    for key, secretary, category, amount, days_ago, purpose in SPENDING:
        day = _this_year(today, days_ago)
        with clock.frozen(_at(day, 4)):
            await spend_branch_funds(
                await city.as_person(secretary),
                SpendBranchFunds(
                    branch_id=city.organisations[f"branch_{key}"].id or 0,
                    category=category,
                    amount=amount * 100,
                    purpose=purpose,
                    spent_on=day,
                ),
            )


async def _movement(city: DemoCity, spec: Movement, today: date) -> None:
    committee = city.organisations[f"committee_{spec.compound}"].id or 0
    day = today - timedelta(days=spec.days_ago)
    with clock.frozen(_at(day, 3)):
        ctx = await city.as_person(f"{spec.compound}{CHAIR}")
        if spec.revenue:
            await record_public_revenue(
                ctx,
                RecordPublicRevenue(
                    body_id=committee,
                    category=spec.category,
                    amount=spec.yuan * 100,
                    received_on=day,
                    memo=spec.memo,
                ),
            )
        else:
            await distribute_revenue(
                ctx,
                DistributeRevenue(
                    body_id=committee,
                    category=spec.category,
                    amount=spec.yuan * 100,
                    paid_on=day,
                    memo=spec.memo,
                ),
            )


async def load_demo_funds(city: DemoCity) -> None:
    """Add the demo's grants and spending, public revenue, distributions and fund
    statements."""
    today = clock.today()
    for key in ("a", "b"):
        await _grants(city, key, today)
    await _spending(city, today)
    for spec in sorted(MOVEMENTS, key=lambda spec: -spec.days_ago):
        await _movement(city, spec, today)
    for key in ("a", "b"):
        with clock.frozen(_at(today, 1)):
            await publish_fund_statement(
                await city.as_person(f"{key}{CHAIR}"),
                PublishFundStatement(
                    publisher_id=city.organisations[f"committee_{key}"].id or 0,
                    published_until=today + timedelta(days=30),
                ),
            )
