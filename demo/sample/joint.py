"""The demo city's joint branch (聯合黨支部): 濱湖社區 keeps a second grid, 濱湖社區第二網格,
over two small compounds too small for a party branch of their own, 濱湖新村 and 濱湖東苑, and
sets up one joint branch in the grid serving both. The street grants it its funds (its ledger
lies at the grid) and its secretary spends some; it publishes a notice to each compound it
serves and the year's fund statement to 濱湖新村, and holds a meeting for 濱湖新村 on one of
its matters. Loaded last, so every id the rest of the demo made stays as it was; everything
goes through the API's actions by the branch's own people, backdated from today.
"""

from __future__ import annotations

from datetime import date, timedelta

from db import clock
from db.models import (
    AttendanceStatus,
    FundCategory,
    NoticeKind,
    PartyMembership,
    PartyMemberStatus,
    ResolutionOutcome,
)
from db.models import OrganisationKind as K
from db.models import PositionTitle as T
from demo.sample.build import DemoCity, appoint, create_org
from demo.sample.deliberations import only_item
from demo.sample.moments import china_hour, utc_hour
from resolvers.deliberations.agenda import AgendaEntry
from resolvers.deliberations.holding import (
    Attendee,
    HoldMeeting,
    RecordAttendance,
    Resolution,
    hold_meeting,
    record_attendance,
)
from resolvers.deliberations.meetings import ScheduleCompoundMeeting, schedule_meeting
from resolvers.disclosure.actions import PublishNotice, publish_notice
from resolvers.funds.actions import GrantFunds, grant_funds
from resolvers.funds.spending import SpendBranchFunds, spend_branch_funds
from resolvers.funds.statements import PublishFundStatement, publish_fund_statement
from resolvers.people.actions import PersonFields, register_person

GRID_2_NAME = "濱湖社區第二網格"
JOINT_BRANCH_NAME = "濱湖社區第二網格聯合黨支部"
# The small compounds (key, name) and their residents, numbered like A's and B's (d0, d1...).
SMALL = (("d", "濱湖新村"), ("e", "濱湖東苑"))
RESIDENTS = ("陳海燕", "林志強", "黃春梅", "張德勝"), ("李玉蘭", "王建國", "吳秀英", "劉明輝")
# d0 is the joint branch's secretary; d2 its committee member; each compound's 3 chairs its
# owners' committee.
SECRETARY = "d0"
MEMBERS = frozenset({SECRETARY, "d2", "e1"})  # the party members: the joint branch's committee


async def _tree(city: DemoCity) -> None:
    await create_org(city, "grid_2", GRID_2_NAME, K.GRID, "community")
    for (key, name), names in zip(SMALL, RESIDENTS, strict=True):
        await create_org(city, f"compound_{key}", name, K.COMPOUND, "grid_2")
        await create_org(
            city, f"committee_{key}", f"{name}業主委員會", K.OWNERS_COMMITTEE, f"compound_{key}"
        )
        for n, person in enumerate(names):
            member = f"{key}{n}" in MEMBERS
            city.people[f"{key}{n}"] = await register_person(
                city.operator(),
                PersonFields(
                    name=person,
                    residence_compound_id=city.organisations[f"compound_{key}"].id,
                    residence_unit=f"{n + 1}01",
                    party_membership=PartyMembership.MEMBER if member else PartyMembership.NONE,
                    party_member_status=PartyMemberStatus.RETIRED if member else None,
                    party_joined_on=date(1990 + n, 7, 1) if member else None,
                ),
            )
    await create_org(city, "joint_branch", JOINT_BRANCH_NAME, K.PARTY_BRANCH, "grid_2")
    start = date(2024, 1, 1)
    for person, org, title in (
        (SECRETARY, "joint_branch", T.SECRETARY),
        ("d2", "joint_branch", T.BRANCH_COMMITTEE_MEMBER),
        ("e1", "joint_branch", T.BRANCH_COMMITTEE_MEMBER),
        ("d3", "committee_d", T.COMMITTEE_CHAIR),
        ("e3", "committee_e", T.COMMITTEE_CHAIR),
    ):
        await appoint(city, person, org, title, start)


async def _funds(city: DemoCity, today: date) -> None:
    branch = city.organisations["joint_branch"].id or 0
    for category, day in (
        (FundCategory.START_UP, today - timedelta(days=200)),
        (FundCategory.RUNNING, max(today - timedelta(days=30), date(today.year, 1, 1))),
    ):
        with clock.frozen(utc_hour(day, 2)):
            await grant_funds(
                await city.as_person("officer"),
                GrantFunds(branch_id=branch, category=category, granted_on=day),
            )
    day = max(today - timedelta(days=15), date(today.year, 1, 1))
    with clock.frozen(utc_hour(day, 4)):
        await spend_branch_funds(
            await city.as_person(SECRETARY),
            SpendBranchFunds(
                branch_id=branch,
                category=FundCategory.PARTY_ACTIVITIES,
                amount=52_000,
                purpose="聯合主題黨日：兩個小區志願服務物資",
                spent_on=day,
            ),
        )


async def _disclosure(city: DemoCity, today: date) -> None:
    branch = city.organisations["joint_branch"].id or 0
    starts = today - timedelta(days=10)
    for key, _ in SMALL:
        with clock.frozen(utc_hour(starts, 1)):
            await publish_notice(
                await city.as_person(SECRETARY),
                PublishNotice(
                    publisher_id=branch,
                    kind=NoticeKind.AFFAIRS,
                    title="聯合黨支部本月工作公開",
                    body="聯合黨支部本月在濱湖新村、濱湖東苑組織志願服務兩次，走訪獨居老人六戶。",
                    published_from=starts,
                    published_until=starts + timedelta(days=30),
                    compound_id=city.organisations[f"compound_{key}"].id,
                ),
            )
    with clock.frozen(utc_hour(today, 3)):
        await publish_fund_statement(
            await city.as_person(SECRETARY),
            PublishFundStatement(
                publisher_id=branch,
                published_until=today + timedelta(days=30),
                compound_id=city.organisations["compound_d"].id,
            ),
        )


async def _meeting(city: DemoCity, today: date) -> None:
    day = today - timedelta(days=7)
    with clock.frozen(china_hour(day - timedelta(days=3), 9)):
        meeting = await schedule_meeting(
            await city.as_person(SECRETARY),
            ScheduleCompoundMeeting(
                body_id=city.organisations["joint_branch"].id or 0,
                title="聯合黨支部委員會（先議）",
                scheduled_for=china_hour(day, 19),
                location="濱湖新村活動室",
                agenda=[AgendaEntry(matter="濱湖新村加裝樓道照明")],
                compound_id=city.organisations["compound_d"].id,
            ),
        )
    members = (SECRETARY, "d2", "e1")
    attendees = [Attendee(city.people[m].id or 0, AttendanceStatus.PRESENT) for m in members]
    with clock.frozen(china_hour(day, 21)):
        meeting = await record_attendance(
            await city.as_person(SECRETARY), RecordAttendance(meeting.id or 0, attendees)
        )
        item_id = await only_item(city, meeting.id or 0)
        await hold_meeting(
            await city.as_person(SECRETARY),
            HoldMeeting(
                meeting_id=meeting.id or 0,
                minutes="會議議定：濱湖新村加裝樓道照明，費用由業主委員會公共收益列支。",
                resolutions=[
                    Resolution(
                        item_id=item_id,
                        outcome=ResolutionOutcome.ADOPTED,
                        resolution="同意，提交濱湖新村業主委員會議定。",
                        votes_for=3,
                        votes_against=0,
                        votes_abstain=0,
                    )
                ],
            ),
        )


async def load_demo_joint_branch(city: DemoCity) -> None:
    """Add the second grid, its small compounds and their joint branch's year."""
    today = clock.today()
    await _tree(city)
    await _funds(city, today)
    await _disclosure(city, today)
    await _meeting(city, today)
