"""The demo city's service posts (服務崗位) and co-building lists (共建清單).

In both compounds the in-service party members have reported for service, except one each
(a24 and b24), left for trying `reportForService`. Each party branch has published posts of
several kinds; members have claimed places (A's weekend clean-up is full) and served, recorded
by themselves or by the secretary. Each compound has a needs list for this year; 國網 delivered
one project to 繼光花苑 and has another under way, a social-work centre joined both compounds:
it delivered in 上東小區 and has not yet in 繼光花苑.

Each is done by its people through the actions of resolvers/service_posts/ and
resolvers/co_building/, with the clock at its moment, backdated from today.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from db import clock
from db.models import (
    LinkKind,
    OrganisationKind,
    ProjectStatus,
)
from db.models import ServicePostKind as K
from db.models import Weekday as Day
from demo.sample.build import DemoCity, create_org, link
from demo.sample.moments import utc_hour as _at
from resolvers.co_building.actions import (
    CancelProject,
    CommitProject,
    CompleteProject,
    PublishNeed,
    cancel_project,
    commit_project,
    complete_project,
    publish_need,
)
from resolvers.service_posts.actions import (
    claim_post,
    publish_post,
    record_fulfilment,
    report_for_service,
)
from resolvers.service_posts.inputs import (
    ClaimServicePost,
    PublishServicePost,
    RecordPostFulfilment,
    ReportForService,
    Schedule,
)

SOCIAL_CENTRE = "蕉城區近鄰社會工作服務中心"
# In-service members (every sixth resident) who reported; a24 and b24 have not yet.
REPORTED = {"a": (0, 6, 12, 18), "b": (0, 6, 12, 18)}
AVAILABILITY = ("周末全天", "工作日晚上", "周六上午", "節假日")
# Service is recorded only up to this many days ago, so no record is "in the future" for a
# caller whose calendar is a day behind Ningde's.
RECENT = 3


@dataclass(frozen=True)
class DemoPost:
    compound: str
    kind: K
    title: str
    description: str
    capacity: int
    weekdays: tuple[Day, ...]
    note: str | None
    started_days_ago: int
    claimants: tuple[int, ...]  # resident numbers, in the order they claimed
    every: int = 7  # days between service records


# fmt: off
POSTS: tuple[DemoPost, ...] = (
    DemoPost("a", K.SANITATION, "環境衛生保潔崗：中心花園周末保潔",
             "周六上午清理中心花園和架空層的垃圾、落葉，整理公共晾曬區。",
             3, (Day.SATURDAY,), "周六上午8點至10點", 70, (0, 6, 12)),
    DemoPost("a", K.SAFETY_PATROL, "治安巡邏崗：夜間巡邏",
             "東門門禁修好前，協助保安夜間巡查東門和地下車庫入口。",
             4, (Day.FRIDAY, Day.SATURDAY), "晚上8點至10點", 40, (18, 6), every=4),
    DemoPost("a", K.CHILDCARE, "托幼看護崗：近鄰紅色驛站暑期託管",
             "雙職工家庭的孩子在驛站寫作業，教師黨員輔導。",
             2, (Day.MONDAY, Day.WEDNESDAY, Day.FRIDAY), None, 60, (12,), every=5),
    DemoPost("a", K.ELDER_CARE, "居家養老服務崗：獨居老人探訪",
             "每周上門探望1號樓獨居老人，陪同就醫、代購生活用品。",
             2, (), "每周至少一次，時間與老人約定", 55, (0,)),
    DemoPost("a", K.PARTY_BUILDING_GUIDANCE, "黨建工作指導崗：樓棟黨小組活動指導",
             "指導樓棟黨小組開展主題黨日和黨員中心戶聯繫群眾。",
             1, (), "每月第一個周日", 20, ()),
    DemoPost("b", K.CIVILISATION_PROMOTION, "文明創建宣傳崗：垃圾分類宣傳",
             "在垃圾分類亭旁宣傳分類知識，勸導亂扔亂放。",
             3, (Day.SATURDAY, Day.SUNDAY), "早上7點至9點", 50, (0, 6)),
    DemoPost("b", K.DISPUTE_MEDIATION, "矛盾糾紛調解崗：停車糾紛調解",
             "協助業委會調解車位佔用、收益分配等鄰里糾紛。",
             2, (), "有糾紛時由支部通知", 45, (12,), every=9),
    DemoPost("b", K.POLICY_PUBLICITY, "政策宣講崗：公共收益公開宣講",
             "向業主講解公共收益公開、分紅辦法和業主大會議事規則。",
             2, (Day.SUNDAY,), "周日下午", 35, (18, 0), every=14),
    DemoPost("b", K.VOLUNTEER_SERVICE, "志願服務崗：近鄰紅色驛站值班",
             "驛站開放時段值班，登記借閱和活動預約。",
             5, (Day.TUESDAY, Day.THURSDAY), "晚上7點至9點", 10, ()),
)
# fmt: on


@dataclass(frozen=True)
class DemoProject:
    compound: str
    partner: str  # "partner" (國網) or "centre" (the social-work centre)
    need: int | None  # index into that compound's NEEDS
    title: str
    status: ProjectStatus
    outcome: str | None = None  # COMPLETED: what was delivered; CANCELLED: why


NEEDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "a": (
        ("電動自行車集中充電設施", "南側車棚充電口不足，需增容並新增充電口。", "設施"),
        ("樓道線路安全檢查", "老舊樓道線路老化、飛線多，需專業檢查整治。", "安全"),
        ("驛站暑期託管師資", "暑期託管班缺少專業看護和活動組織人員。", "托幼"),
    ),
    "b": (
        ("兒童閱讀角圖書", "驛站兒童閱讀角圖書少，希望捐建並組織讀書會。", "文化"),
        ("鄰里調解員培訓", "調解崗黨員希望接受專業調解培訓。", "治理"),
    ),
}
PROJECTS: tuple[DemoProject, ...] = (
    DemoProject(
        "a",
        "partner",
        1,
        "樓道線路安全檢查及飛線整治",
        ProjectStatus.COMPLETED,
        "完成3棟樓道線路檢查，整治飛線12處，更換老化線路80米。",
    ),
    DemoProject("a", "partner", 0, "南側車棚新增充電口20個並負責增容", ProjectStatus.COMMITTED),
    DemoProject("a", "centre", 2, "暑期託管班社工支援", ProjectStatus.COMMITTED),
    DemoProject(
        "b",
        "centre",
        0,
        "捐建兒童閱讀角並每月組織讀書會",
        ProjectStatus.COMPLETED,
        "捐贈圖書300冊，已組織讀書會4次。",
    ),
    DemoProject(
        "b", "centre", 1, "上東小區調解員培訓", ProjectStatus.CANCELLED, "改由街道統一組織培訓。"
    ),
)


async def _social_centre(city: DemoCity) -> None:
    """A social organisation under the district, co-building with both compounds."""
    await create_org(
        city, "centre", SOCIAL_CENTRE, OrganisationKind.SOCIAL_ORGANISATION, "district"
    )
    for key in ("a", "b"):
        await link(
            city,
            LinkKind.CO_BUILDS,
            "centre",
            f"compound_{key}",
            date(2024, 1, 1),
            date(2027, 12, 31),
        )


async def _registrations(city: DemoCity, today: date, rng: random.Random) -> None:
    """The in-service members report for service themselves (reportForService)."""
    for key, numbers in REPORTED.items():
        for number in numbers:
            member = f"{key}{number}"
            reported = _at(today - timedelta(days=90 + rng.randrange(0, 60)), rng.uniform(1, 12))
            availability = rng.choice(AVAILABILITY)
            with clock.frozen(reported):
                await report_for_service(
                    await city.as_person(member),
                    ReportForService(
                        skills=list(city.people[member].skills or []), availability=availability
                    ),
                )


async def _posts(city: DemoCity, today: date, rng: random.Random) -> None:
    """The secretary publishes each post; members claim places and serve, their service
    recorded by themselves or by the secretary for them (publishServicePost,
    claimServicePost, recordPostFulfilment)."""
    for spec in POSTS:
        secretary = f"{spec.compound}0"
        starts_on = today - timedelta(days=spec.started_days_ago)
        with clock.frozen(_at(starts_on - timedelta(days=3), rng.uniform(1, 10))):
            post = await publish_post(
                await city.as_person(secretary),
                PublishServicePost(
                    compound_id=city.organisations[f"compound_{spec.compound}"].id or 0,
                    kind=spec.kind,
                    title=spec.title,
                    capacity=spec.capacity,
                    schedule=Schedule(
                        starts_on=starts_on, weekdays=list(spec.weekdays), description=spec.note
                    ),
                    description=spec.description,
                ),
            )
        for order, number in enumerate(spec.claimants):
            member = f"{spec.compound}{number}"
            claimed_on = starts_on + timedelta(days=order)
            with clock.frozen(_at(claimed_on, rng.uniform(0, 12))):
                claim = await claim_post(
                    await city.as_person(member), ClaimServicePost(post_id=post.id or 0)
                )
            served_on = claimed_on + timedelta(days=1)
            while served_on <= today - timedelta(days=RECENT):
                minutes = rng.choice((60, 90, 120, 150, 180))
                note = rng.choice((None, "按時到崗", "居民反映良好", "已做好記錄"))
                # Half recorded by the member, half by the secretary for them.
                recorder = rng.choice((member, secretary))
                with clock.frozen(_at(served_on, 14)):
                    await record_fulfilment(
                        await city.as_person(recorder),
                        RecordPostFulfilment(
                            served_on=served_on,
                            hours=minutes / 60,
                            claim_id=claim.id,
                            note=note,
                        ),
                    )
                served_on += timedelta(days=spec.every)


async def _co_building(city: DemoCity, today: date) -> None:
    """Each secretary publishes the compound's needs for this year; the partners' projects are
    committed to them and later completed or cancelled (publishNeed, commitProject,
    completeProject, cancelProject)."""
    year = today.year
    start_of_year = date(year, 1, 1)
    needs: dict[str, list[int]] = {}
    for key, lines in NEEDS.items():
        secretary = f"{key}0"
        with clock.frozen(_at(max(start_of_year, today - timedelta(days=120)), 2)):
            ctx = await city.as_person(secretary)
            needs[key] = [
                (
                    await publish_need(
                        ctx,
                        PublishNeed(
                            compound_id=city.organisations[f"compound_{key}"].id or 0,
                            title=title,
                            year=year,
                            description=description,
                            category=category,
                        ),
                    )
                ).id
                or 0
                for title, description, category in lines
            ]
    committed_on = max(start_of_year, today - timedelta(days=100))
    finished_on = max(committed_on, today - timedelta(days=20))
    for spec in PROJECTS:
        secretary = f"{spec.compound}0"
        with clock.frozen(_at(committed_on, 3)):
            project = await commit_project(
                await city.as_person(secretary),
                CommitProject(
                    compound_id=city.organisations[f"compound_{spec.compound}"].id or 0,
                    partner_id=city.organisations[spec.partner].id or 0,
                    year=year,
                    title=spec.title,
                    need_id=needs[spec.compound][spec.need] if spec.need is not None else None,
                    due_on=date(year, 12, 31),
                ),
            )
        if spec.status is ProjectStatus.COMMITTED:
            continue
        with clock.frozen(_at(finished_on, 3)):
            ctx = await city.as_person(secretary)
            if spec.status is ProjectStatus.COMPLETED:
                done = CompleteProject(
                    project_id=project.id or 0, completed_on=finished_on, outcome=spec.outcome or ""
                )
                await complete_project(ctx, done)
            else:
                reason = CancelProject(project_id=project.id or 0, reason=spec.outcome or "")
                await cancel_project(ctx, reason)


async def load_demo_posts(city: DemoCity, *, seed: int = 2021) -> None:
    """Add the demo's service posts and co-building lists, through the actions."""
    rng = random.Random(f"{seed}:posts")
    today = clock.today()
    await _social_centre(city)
    await _registrations(city, today, rng)
    await _posts(city, today, rng)
    await _co_building(city, today)
