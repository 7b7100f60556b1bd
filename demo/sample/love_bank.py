"""The demo city's neighbourhood red stations (近鄰紅色驛站) and love bank (愛心銀行).

Each demo compound gets a volunteer team with its leader, a station with its functions, a
weekly duty roster and a one-off evening slot, rewards, volunteer services (confirmed ones
with their points in the ledger, pending ones waiting for the volunteer) and a few
redemptions, each made by its people through the actions of resolvers/stations/ and
resolvers/love_bank/ with the clock at its moment, so the ledger is posted as the API posts
it; days are counted back from TODAY (injected; the local date when omitted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from db import clock
from db.models import DutyRole, OrganisationKind, PositionTitle, Reward, StationFunction
from demo.sample.build import DemoCity, appoint, create_org
from demo.sample.moments import china_hour as _at
from resolvers.love_bank.rewards import ListReward, RedeemPoints, list_reward, redeem_points
from resolvers.love_bank.services import (
    ConfirmService,
    RecordService,
    confirm_service,
    record_service,
)
from resolvers.stations.actions import OpenStation, open_station
from resolvers.stations.duties import SetStationDuty, set_duty

F = StationFunction
R = DutyRole


@dataclass(frozen=True)
class DemoCompound:
    key: str
    team: str
    leader: int
    station: str
    address: str
    functions: tuple[StationFunction, ...]
    # (resident number, weekday 1-7, start, end, role)
    roster: tuple[tuple[int, int, str, str, DutyRole], ...]
    # (resident number, days from today, start, end, role): a one-off slot
    evening: tuple[int, int, str, str, DutyRole]
    # (name, cost, stock or None)
    rewards: tuple[tuple[str, int, int | None], ...]
    # (volunteer, recorder, activity, hours, days ago, confirmed): resident numbers
    services: tuple[tuple[int, int, str, float, int, bool], ...]
    # (resident number, reward index, quantity, days ago)
    redemptions: tuple[tuple[int, int, int, int], ...]


# fmt: off
COMPOUNDS = (
    DemoCompound(
        "a", "繼光花苑愛心志願服務隊", 27, "繼光花苑近鄰紅色驛站", "2號樓架空層",
        (F.PARTY_EDUCATION, F.ELDER_CARE, F.DELIBERATION, F.READING, F.VOLUNTEER_SERVICE),
        roster=(
            (6, 1, "09:00", "12:00", R.PARTY_MEMBER),
            (15, 2, "09:00", "12:00", R.PARTY_MEMBER),
            (27, 3, "14:00", "17:00", R.STATION_KEEPER),
            (2, 4, "14:00", "17:00", R.VOLUNTEER),
            (18, 5, "09:00", "12:00", R.PARTY_MEMBER),
            (1, 6, "09:00", "11:00", R.VOLUNTEER),
            (0, 7, "15:00", "17:00", R.PARTY_MEMBER),
        ),
        evening=(10, 3, "19:00", "21:00", R.VOLUNTEER),
        rewards=(
            ("愛心大米（5斤）", 100, 20),
            ("理髮服務券", 30, None),
            ("洗衣液", 50, 10),
            ("環保購物袋", 10, 50),
        ),
        services=(
            (1, 27, "陪伴獨居老人聊天、讀報", 2.0, 40, True),
            (1, 27, "驛站閱覽室圖書整理", 3.0, 25, True),
            (1, 27, "週末兒童托管看護", 1.5, 3, False),
            (2, 27, "小區環境衛生清掃", 4.0, 50, True),
            (2, 0, "協助加裝電梯意見收集", 2.5, 12, True),
            (10, 27, "夜間巡邏（巡邏大叔）", 3.0, 30, True),
            (10, 27, "夜間巡邏（巡邏大叔）", 3.0, 9, True),
            (11, 3, "為行動不便老人代購", 1.0, 6, False),
            (6, 27, "黨員教育活動場地佈置", 2.0, 20, True),
            (27, 0, "組織志願者培訓", 2.0, 15, True),
            (13, 27, "法律咨詢（律師志願者）", 1.0, 2, False),
        ),
        redemptions=((1, 1, 1, 10), (2, 2, 1, 7), (10, 1, 2, 4)),
    ),
    DemoCompound(
        "b", "上東小區銀發先鋒志願服務隊", 27, "上東小區近鄰紅色驛站", "小區活動中心一樓",
        (F.ELDER_CARE, F.CHILDCARE, F.FITNESS, F.READING, F.VOLUNTEER_SERVICE),
        roster=(
            (3, 1, "08:30", "11:30", R.PARTY_MEMBER),
            (15, 3, "08:30", "11:30", R.PARTY_MEMBER),
            (27, 5, "14:30", "17:30", R.STATION_KEEPER),
            (1, 6, "09:00", "11:00", R.VOLUNTEER),
            (2, 7, "09:00", "11:00", R.VOLUNTEER),
        ),
        evening=(5, 5, "19:30", "21:00", R.VOLUNTEER),
        rewards=(
            ("食用油（1桶）", 120, 15),
            ("義診體檢券", 40, None),
            ("兒童繪本", 45, 8),
            ("肥皂禮盒", 10, 30),
        ),
        services=(
            (1, 27, "銀發先鋒：陪老人就醫", 3.0, 35, True),
            (1, 27, "樓道小廣告清理", 2.0, 8, True),
            (1, 27, "社區義診秩序維護", 2.0, 1, False),
            (2, 27, "愛心媽媽：課後作業輔導", 4.0, 28, True),
            (2, 0, "垃圾分類宣傳", 1.5, 14, True),
            (5, 27, "小巷管家：停車引導", 5.0, 21, True),
            (6, 3, "驛站健身器材維護", 1.0, 4, False),
            (27, 0, "志願服務隊排班協調", 2.0, 10, True),
        ),
        redemptions=((1, 1, 1, 5), (2, 1, 1, 3), (5, 2, 1, 2)),
    ),
)
# fmt: on


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


async def _team(city: DemoCity, spec: DemoCompound, start: date) -> None:
    key = f"team_{spec.key}"
    await create_org(city, key, spec.team, OrganisationKind.VOLUNTEER_TEAM, f"compound_{spec.key}")
    leader = f"{spec.key}{spec.leader}"
    await appoint(city, leader, key, PositionTitle.VOLUNTEER_TEAM_LEADER, start)


async def _station(city: DemoCity, spec: DemoCompound, today: date) -> list[Reward]:
    """The secretary opens the station, sets its roster and lists its rewards, 120 days ago."""
    compound = city.organisations[f"compound_{spec.key}"].id or 0
    with clock.frozen(_at(today - timedelta(days=120), 10)):
        secretary = await city.as_person(f"{spec.key}0")
        station = await open_station(
            secretary,
            OpenStation(
                compound_id=compound,
                name=spec.station,
                functions=list(spec.functions),
                address=spec.address,
            ),
        )
        station_id = station.id or 0
        slots: list[tuple[int, int | None, date | None, str, str, DutyRole]] = [
            (n, weekday, None, start, end, role) for n, weekday, start, end, role in spec.roster
        ]
        n, days, start, end, role = spec.evening
        slots.append((n, None, today + timedelta(days=days), start, end, role))
        for number, weekday, on_date, start, end, role in slots:
            await set_duty(
                secretary,
                SetStationDuty(
                    station_id=station_id,
                    person_id=city.people[f"{spec.key}{number}"].id or 0,
                    starts_at=_clock(start),
                    ends_at=_clock(end),
                    weekday=weekday,
                    on_date=on_date,
                    role=role,
                ),
            )
        return [
            await list_reward(
                secretary, ListReward(station_id=station_id, name=name, cost=cost, stock=stock)
            )
            for name, cost, stock in spec.rewards
        ]


async def _services(city: DemoCity, spec: DemoCompound, today: date) -> None:
    """Each service is recorded that evening; the volunteer confirms it the next morning."""
    compound = city.organisations[f"compound_{spec.key}"].id or 0
    for volunteer, recorder, activity, hours, days_ago, confirmed in spec.services:
        day = today - timedelta(days=days_ago)
        with clock.frozen(_at(day, 20)):
            service = await record_service(
                await city.as_person(f"{spec.key}{recorder}"),
                RecordService(
                    volunteer_id=city.people[f"{spec.key}{volunteer}"].id or 0,
                    compound_id=compound,
                    activity=activity,
                    hours=hours,
                    occurred_on=day,
                ),
            )
        if not confirmed:
            continue
        with clock.frozen(_at(day + timedelta(1), 9)):
            await confirm_service(
                await city.as_person(f"{spec.key}{volunteer}"),
                ConfirmService(service_id=service.id or 0),
            )


async def _redemptions(
    city: DemoCity, spec: DemoCompound, rewards: list[Reward], today: date
) -> None:
    for number, index, quantity, days_ago in spec.redemptions:
        with clock.frozen(_at(today - timedelta(days=days_ago), 16)):
            await redeem_points(
                await city.as_person(f"{spec.key}{number}"),
                RedeemPoints(reward_id=rewards[index].id or 0, quantity=quantity),
            )


async def load_demo_lovebank(city: DemoCity, *, today: date | None = None) -> None:
    """Add the volunteer teams, stations, rosters, rewards and points, through the actions."""
    today = today or clock.today()
    for spec in COMPOUNDS:
        await _team(city, spec, date(2024, 1, 1))
        rewards = await _station(city, spec, today)
        await _services(city, spec, today)
        await _redemptions(city, spec, rewards, today)
