"""The demo city's mobilisations (一聲令下): 繼光花苑's branch called its party members,
volunteers and post holders out when the rain came three days ago (closed since, most
answered); 上東小區's branch asks its party members to help with this week's civilised-city
campaign (open, a few answers so far); and the street's officer called every party member of
濱湖社區 to guide residents at the vaccination point (open, both compounds answering).
Everything goes through resolvers/mobilisation/actions.py as its people, with the clock at
its moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db import clock
from db.models import MobilisationGroup as G
from db.models import MobilisationOutcome as O
from db.models import MobilisationUrgency as U
from demo.sample.build import DemoCity
from demo.sample.moments import utc_hour as _at
from resolvers.mobilisation.actions import (
    AcknowledgeMobilisation,
    CloseMobilisation,
    ReportMobilisation,
    SendMobilisation,
    acknowledge_mobilisation,
    close_mobilisation,
    report_mobilisation,
    send_mobilisation,
)


@dataclass(frozen=True)
class Answer:
    person: str  # a demo person's key
    minutes: int  # after sending
    outcome: O | None = None  # None: acknowledged only
    report: str = ""


@dataclass(frozen=True)
class Call:
    sender: str  # organisation key
    sent_by: str  # person key
    target: str  # organisation key
    title: str
    instructions: str
    urgency: U
    groups: tuple[G, ...]
    days_ago: int
    answers: tuple[Answer, ...]
    closed_after_hours: int | None = None
    # Answers asked for within this long (by urgency when None).
    respond_within: timedelta | None = None


ALL = (G.PARTY_MEMBER, G.SERVICE_POST_HOLDER, G.VOLUNTEER)
CALLS = (
    Call(
        "branch_a",
        "secretary",
        "compound_a",
        "防汛應急：轉移地下車庫車輛",
        "暴雨預警升級，請黨員、志願者和服務崗位認領人30分鐘內到地下車庫入口集合，協助通知車主移車、"
        "搬運沙袋。",
        U.EMERGENCY,
        ALL,
        3,
        (
            Answer("a3", 4, O.DONE, "已通知2號樓車主12戶，協助移車8輛。"),
            Answer("a6", 9, O.DONE, "搬運沙袋40袋，封堵車庫入口。"),
            Answer("a9", 15, O.PARTLY_DONE, "聯繫車主5戶，2戶外出未能移車。"),
            Answer("a12", 42),
        ),
        closed_after_hours=20,
    ),
    Call(
        "branch_b",
        "b0",
        "compound_b",
        "文明城市創建：樓道清理宣傳",
        "本週六上午，請各樓棟黨員到本樓棟張貼倡議書，勸導清理樓道堆物。",
        U.ROUTINE,
        (G.PARTY_MEMBER,),
        1,
        (
            Answer("b3", 35, O.DONE, "1號樓倡議書已張貼，勸導清理3處。"),
            Answer("b6", 120),
        ),
    ),
    Call(
        "street",
        "officer",
        "community",
        "疫苗接種點引導志願服務",
        "濱湖社區衛生服務站明天起設接種點，請社區內黨員報名輪值引導，每班2小時。",
        U.URGENT,
        (G.PARTY_MEMBER,),
        2,
        (
            Answer("a15", 25, O.DONE, "已報名週二上午班。"),
            Answer("b9", 50),
            Answer("b12", 70, O.UNABLE, "本週出差，下週可參加。"),
        ),
        respond_within=timedelta(days=7),  # the rota runs all week: still open
    ),
)


async def _load(city: DemoCity, call: Call, today: date) -> None:
    day = today - timedelta(days=call.days_ago)
    sent_at = _at(day, 1)
    with clock.frozen(sent_at):
        sent = await send_mobilisation(
            await city.as_person(call.sent_by),
            SendMobilisation(
                sender_id=city.organisations[call.sender].id or 0,
                target_id=city.organisations[call.target].id or 0,
                title=call.title,
                instructions=call.instructions,
                urgency=call.urgency,
                groups=call.groups,
                respond_by=None if call.respond_within is None else sent_at + call.respond_within,
            ),
        )
    call_id = sent.id or 0
    for answer in call.answers:
        with clock.frozen(min(sent_at + timedelta(minutes=answer.minutes), clock.now())):
            ctx = await city.as_person(answer.person)
            if answer.outcome is None:
                await acknowledge_mobilisation(ctx, AcknowledgeMobilisation(call_id))
            else:
                await report_mobilisation(
                    ctx, ReportMobilisation(call_id, answer.outcome, answer.report)
                )
    if call.closed_after_hours is not None:
        with clock.frozen(min(sent_at + timedelta(hours=call.closed_after_hours), clock.now())):
            await close_mobilisation(await city.as_person(call.sent_by), CloseMobilisation(call_id))


async def load_demo_mobilisation(city: DemoCity) -> None:
    """Add the demo's mobilisations and their answers."""
    today = clock.today()
    for call in CALLS:
        await _load(city, call, today)
