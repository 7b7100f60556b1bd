"""The demo city's public disclosure (兩公開): notices of each compound's party branch and
owners' committee, who read them, and residents' questions answered in public.

In each compound the branch shows its affairs and the owners' committee its accounts today;
a decision shown last quarter has ended (residents no longer see it, the bodies do); A shows
the year's evaluation results, and B's committee withdrew a mistaken accounts notice. Residents
have read the notices shown (each counted once) and asked about them; most questions are
answered, one in each compound is still waiting. Each step is done by its people through the
actions of resolvers/disclosure/, with the clock at its moment, backdated from today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db import clock
from db.models import NoticeKind
from demo.sample.build import DemoCity
from demo.sample.moments import utc_hour as _at
from resolvers.disclosure.actions import (
    AnswerNoticeQuestion,
    AskAboutNotice,
    MarkNoticeRead,
    PublishNotice,
    WithdrawNotice,
    answer_question,
    ask_about_notice,
    mark_notice_read,
    publish_notice,
    withdraw_notice,
)

# Who publishes for each body: the branch's secretary (resident 0), the committee's chair (9).
PUBLISHER = {"branch": 0, "committee": 9}


@dataclass(frozen=True)
class DemoQuestion:
    asker: int  # resident number
    question: str
    answer: str | None  # None: still waiting


@dataclass(frozen=True)
class DemoNotice:
    compound: str
    body: str  # "branch" or "committee"
    kind: NoticeKind
    title: str
    text: str
    started_days_ago: int
    days: int | None  # how long it is shown; None: until withdrawn
    readers: tuple[int, ...] = ()  # resident numbers, in the order they read it
    questions: tuple[DemoQuestion, ...] = ()
    withdrawn: str | None = None  # the reason, when withdrawn


# fmt: off
NOTICES: tuple[DemoNotice, ...] = (
    DemoNotice(
        "a", "branch", NoticeKind.AFFAIRS, "小區黨支部第四季度工作安排公示",
        "一、牽頭推進南側車棚充電設施增容；二、組織在職黨員到服務崗位報到；"
        "三、每月第一個周日召開黨員中心戶聯繫群眾會。歡迎居民監督並提出意見。",
        10, 30, (1, 2, 4, 7, 10, 13),
        (
            DemoQuestion(2, "充電設施增容什麼時候開工？施工期間車棚還能用嗎？",
                         "計劃下月初開工，分兩段施工，每段約一周，施工段以外的車位照常使用。"),
            DemoQuestion(10, "在職黨員報到後，居民有事可以找誰？", None),
        ),
    ),
    DemoNotice(
        "a", "committee", NoticeKind.FINANCES, "業主委員會第三季度公共收益收支公示",
        "收入：電梯廣告12,600元，臨時停車8,450元，合計21,050元。"
        "支出：監控設備維修3,200元，綠化補種1,850元，合計5,050元。"
        "結餘16,000元存入小區公共收益專戶。明細賬目可在業委會辦公室查閱。",
        6, 21, (1, 4, 11, 16, 19),
        (
            DemoQuestion(4, "結餘的16,000元準備用在哪些地方？",
                         "擬用於1號樓樓道照明改造，方案將在業主大會表決後另行公示。"),
        ),
    ),
    DemoNotice(
        "a", "committee", NoticeKind.DECISIONS, "關於電動自行車集中充電收費標準的決議",
        "經業主大會表決通過，集中充電收費標準為每度電0.8元，自下月起執行。",
        80, 30, (1, 2, 5),
    ),
    DemoNotice(
        "a", "branch", NoticeKind.EVALUATION_RESULTS, "年度紅色物業星級評價結果公示",
        "經小區黨支部組織業主評議，安居物業本年度評為三星，業主委員會履職評價為良好。"
        "評議結果將作為物業續聘的重要參考。",
        3, 14, (2, 8),
    ),
    DemoNotice(
        "b", "branch", NoticeKind.AFFAIRS, "上東小區黨支部近期工作公示",
        "一、近鄰紅色驛站延長開放時間至晚上9點；二、組織黨員開展垃圾分類宣傳；"
        "三、聯合社工機構開展兒童讀書會。",
        8, 30, (1, 2, 5, 8),
        (
            DemoQuestion(5, "驛站周末也開放嗎？",
                         "周六、周日上午9點至11點開放，由志願者值班。"),
        ),
    ),
    DemoNotice(
        "b", "committee", NoticeKind.FINANCES, "業主委員會停車收益分配公示",
        "本年度停車收益38,000元，按業主大會決議50%用於公共設施維護，50%計入公共維修基金。",
        5, 30, (1, 3, 7),
        (
            DemoQuestion(7, "公共設施維護具體包括哪些項目？", None),
        ),
    ),
    DemoNotice(
        "b", "committee", NoticeKind.FINANCES, "業主委員會停車收益公示（有誤）",
        "本年度停車收益83,000元。",
        12, 30, (2,),
        withdrawn="金額錄入有誤，已撤回，以更正後的公示為準。",
    ),
    DemoNotice(
        "b", "committee", NoticeKind.DECISIONS, "關於續聘鄰安物業的決議",
        "經業主大會表決，同意續聘鄰安物業管理有限公司，合同期三年。",
        120, 45, (1, 4),
    ),
)
# fmt: on


def _person(compound: str, number: int) -> str:
    return f"{compound}{number}"


async def _one(city: DemoCity, spec: DemoNotice, today: date) -> None:
    starts = today - timedelta(days=spec.started_days_ago)
    publisher = _person(spec.compound, PUBLISHER[spec.body])
    with clock.frozen(_at(starts, 1)):
        notice = await publish_notice(
            await city.as_person(publisher),
            PublishNotice(
                publisher_id=city.organisations[f"{spec.body}_{spec.compound}"].id or 0,
                kind=spec.kind,
                title=spec.title,
                body=spec.text,
                published_from=starts,
                published_until=starts + timedelta(days=spec.days) if spec.days else None,
            ),
        )
    notice_id = notice.id or 0
    # Readers and askers come on the days after it starts, while it is shown.
    for order, number in enumerate(spec.readers):
        day = starts + timedelta(days=min(order // 2, spec.started_days_ago))
        with clock.frozen(_at(day, 2 + order % 8)):
            ctx = await city.as_person(_person(spec.compound, number))
            await mark_notice_read(ctx, MarkNoticeRead(notice_id=notice_id))
    for order, item in enumerate(spec.questions):
        asked = starts + timedelta(days=min(1 + order, spec.started_days_ago))
        with clock.frozen(_at(asked, 4)):
            ctx = await city.as_person(_person(spec.compound, item.asker))
            question = await ask_about_notice(
                ctx, AskAboutNotice(notice_id=notice_id, question=item.question)
            )
        if item.answer is None:
            continue
        with clock.frozen(_at(min(asked + timedelta(days=1), today), 6)):
            await answer_question(
                await city.as_person(publisher),
                AnswerNoticeQuestion(question_id=question.id or 0, answer=item.answer),
            )
    if spec.withdrawn is not None:
        with clock.frozen(_at(starts + timedelta(days=1), 3)):
            await withdraw_notice(
                await city.as_person(publisher),
                WithdrawNotice(notice_id=notice_id, reason=spec.withdrawn),
            )


async def load_demo_disclosure(city: DemoCity) -> None:
    """Add the demo's notices, reads and questions, through the actions."""
    today = clock.today()
    for spec in sorted(NOTICES, key=lambda spec: -spec.started_days_ago):
        await _one(city, spec, today)
