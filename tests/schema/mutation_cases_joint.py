"""Second cases of the every-mutation walk (and the isolation matrix's mutation half): the
demo's joint branch (聯合黨支部, demo/sample/joint.py) publishing, and its notices and meetings
in 濱湖新村 (compound D), a small compound it serves. The same mutations' cases in compound A
stay in their own modules; these walk the joint branch's path through each."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.models import CompoundMeeting, Notice, NoticeQuestion, NoticeRead, Organisation
from demo.sample.joint import JOINT_BRANCH_NAME
from tests.deliberation_helpers import MEETING_TABLES, when
from tests.disclosure_helpers import DISCLOSURE_TABLES
from tests.helpers import Api, gid
from tests.issue_helpers import ok
from tests.mutation_cases import Case


async def joint_branch(api: Api) -> str:
    found = await api.scalar(
        sa.select(Organisation.id).where(Organisation.name == JOINT_BRANCH_NAME)
    )
    return gid("Organisation", int(found))


async def publish_input(api: Api) -> dict[str, Any]:
    return {
        "publisher": await joint_branch(api),
        "compound": api.ids["compound_d"],
        "kind": "AFFAIRS",
        "title": "聯合黨支部工作公開",
        "body": "聯合黨支部本周組織樓道清理。",
    }


async def _notice(api: Api) -> str:
    made = await ok(
        api, "publishNotice", await publish_input(api), as_="joint_secretary", selection="id"
    )
    return str(made["id"])


async def _withdraw(api: Api) -> dict[str, Any]:
    return {"notice": await _notice(api), "reason": "內容需要更正。"}


async def _ask(api: Api) -> dict[str, Any]:
    return {"notice": await _notice(api), "question": "清理幾點開始？"}


async def _answer(api: Api) -> dict[str, Any]:
    question = await ok(api, "askAboutNotice", await _ask(api), as_="resident_d", selection="id")
    return {"question": question["id"], "answer": "上午九點。"}


async def _mark_read(api: Api) -> dict[str, Any]:
    return {"notice": await _notice(api)}


async def _statement(api: Api) -> dict[str, Any]:
    return {"publisher": await joint_branch(api), "compound": api.ids["compound_d"]}


async def schedule_input(api: Api) -> dict[str, Any]:
    return {
        "body": await joint_branch(api),
        "compound": api.ids["compound_d"],
        "title": "聯合黨支部委員會",
        "scheduledFor": when(3),
        "agenda": [{"matter": "濱湖新村樓道照明"}],
    }


async def _cancel(api: Api) -> dict[str, Any]:
    meeting = await ok(
        api,
        "scheduleCompoundMeeting",
        await schedule_input(api),
        as_="joint_secretary",
        selection="id",
    )
    return {"id": meeting["id"], "reason": "改期"}


JOINT_CASES: dict[str, Case] = {
    # D's resident reads the joint branch's notices but publishes nothing for it.
    "publishNotice": Case(
        "joint_secretary", "resident_d", publish_input, Notice, DISCLOSURE_TABLES
    ),
    "withdrawNotice": Case("joint_secretary", "resident_d", _withdraw, Notice, DISCLOSURE_TABLES),
    # A's resident may not ask about D's notice; D's may.
    "askAboutNotice": Case("resident_d", "resident", _ask, NoticeQuestion, DISCLOSURE_TABLES),
    "answerNoticeQuestion": Case(
        "joint_secretary", "resident_d", _answer, NoticeQuestion, DISCLOSURE_TABLES
    ),
    "markNoticeRead": Case("resident_d", "resident", _mark_read, NoticeRead, DISCLOSURE_TABLES),
    "publishFundStatement": Case(
        "joint_secretary", "resident_d", _statement, Notice, DISCLOSURE_TABLES
    ),
    "scheduleCompoundMeeting": Case(
        "joint_secretary", "resident_d", schedule_input, CompoundMeeting, MEETING_TABLES
    ),
    "cancelCompoundMeeting": Case(
        "joint_secretary", "resident_d", _cancel, CompoundMeeting, MEETING_TABLES
    ),
}
# Who is outside the joint branch's grid for each: A's secretary and B's (their own branches).
JOINT_OUTSIDERS = ("secretary", "secretary_b")
