"""Helpers for the public-disclosure tests: the demo's bodies, publishing a notice and asking
about it through the API, and the tables a refusal must leave alone."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from db.models import Notice, NoticeQuestion, NoticeRead, Organisation, OrganisationKind
from tests.helpers import Api, gid
from tests.issue_helpers import ok

DISCLOSURE_TABLES: tuple[type[SQLModel], ...] = (Notice, NoticeQuestion, NoticeRead)
NOTICE = """id kind title body publishedFrom publishedUntil shownToday withdrawnAt
withdrawReason version readCount readByMe compound { id } publisher { id } publishedBy { id }"""
QUESTION = "id question answer askedByMe version asker { id } answeredBy { id } notice { id }"


async def body(api: Api, compound: str, kind: OrganisationKind) -> str:
    """The global id of COMPOUND's body of KIND (its party branch, owners' committee, ...)."""
    found = await api.scalar(
        sa.select(Organisation.id).where(
            Organisation.compound_id == api.compound(compound), Organisation.kind == kind
        )
    )
    return gid("Organisation", int(found))


async def branch(api: Api, compound: str = "a") -> str:
    return await body(api, compound, OrganisationKind.PARTY_BRANCH)


async def committee(api: Api, compound: str = "a") -> str:
    return await body(api, compound, OrganisationKind.OWNERS_COMMITTEE)


async def notice_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "publisher": await branch(api, compound),
        "kind": "AFFAIRS",
        "title": "樓道堆物清理通知公示",
        "body": "本周六上午統一清理樓道堆放雜物，請各戶提前自行整理。",
        **fields,
    }


async def publish(
    api: Api, compound: str = "a", as_: str = "secretary", **fields: Any
) -> dict[str, Any]:
    """A notice published through the API (by the branch, shown from today unless FIELDS say)."""
    return await ok(
        api, "publishNotice", await notice_input(api, compound, **fields), as_=as_, selection=NOTICE
    )


async def ask(
    api: Api, notice: str, as_: str = "resident", question: str = "清理後的雜物放在哪裡？"
) -> dict[str, Any]:
    return await ok(
        api,
        "askAboutNotice",
        {"notice": notice, "question": question},
        as_=as_,
        selection=QUESTION,
    )
