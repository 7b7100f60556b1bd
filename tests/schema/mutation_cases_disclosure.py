"""Cases of the every-mutation-is-audited walk for public disclosure (兩公開).

Each case publishes its own notice in compound A first (as the secretary, for the branch), so
the allowed call always changes something: a fresh notice has no reader and no question yet.
"""

from __future__ import annotations

from typing import Any

from db.models import Notice, NoticeQuestion, NoticeRead
from tests.disclosure_helpers import DISCLOSURE_TABLES, ask, notice_input, publish
from tests.helpers import Api
from tests.mutation_cases import Case


async def _publish(api: Api) -> dict[str, Any]:
    return await notice_input(api)


async def _withdraw(api: Api) -> dict[str, Any]:
    return {"notice": (await publish(api))["id"], "reason": "內容需要更正。"}


async def _ask(api: Api) -> dict[str, Any]:
    return {"notice": (await publish(api))["id"], "question": "清理由誰負責？"}


async def _answer(api: Api) -> dict[str, Any]:
    question = await ask(api, (await publish(api))["id"])
    return {"question": question["id"], "answer": "由物業保潔員統一清運。"}


async def _mark_read(api: Api) -> dict[str, Any]:
    return {"notice": (await publish(api))["id"]}


DISCLOSURE_CASES: dict[str, Case] = {
    # A resident may read the branch but not publish for it; the supervisor reads notices only.
    "publishNotice": Case("secretary", "resident", _publish, Notice, DISCLOSURE_TABLES),
    # committee_member (a3) sits on the branch committee too (a cross-appointment).
    "withdrawNotice": Case("committee_member", "resident", _withdraw, Notice, DISCLOSURE_TABLES),
    "askAboutNotice": Case("resident", "supervisor", _ask, NoticeQuestion, DISCLOSURE_TABLES),
    "answerNoticeQuestion": Case(
        "secretary", "resident", _answer, NoticeQuestion, DISCLOSURE_TABLES
    ),
    "markNoticeRead": Case("resident", "supervisor", _mark_read, NoticeRead, DISCLOSURE_TABLES),
}
