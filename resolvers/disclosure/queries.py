"""Public disclosure, the reads: notices and their questions scoped in SQL (residents see a
notice only while it is shown), who read them, and how many notices each compound published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col

from db.models import Notice, NoticeKind, NoticeQuestion, NoticeRead
from policies.scopes import notice_in_force
from resolvers.common import scoped, visible_by_ids
from resolvers.context import RequestContext
from resolvers.kept_pages import ordered_page_query
from resolvers.pagination import (
    KeysetQuery,
    Ordering,
    Page,
    Window,
    keyset_page,
    read_page,
)

RESOURCE = "notice"
QUESTIONS = "notice_question"


@dataclass(frozen=True)
class NoticeFilter:
    compound_id: int | None = None
    publisher_id: int | None = None
    kind: NoticeKind | None = None
    shown_on: date | None = None  # shown (in its period, not withdrawn) on that day


async def notices_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Notice]:
    return await visible_by_ids(ctx, Notice, RESOURCE, ids)


async def questions_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, NoticeQuestion]:
    return await visible_by_ids(ctx, NoticeQuestion, QUESTIONS, ids)


async def list_notices(ctx: RequestContext, filter: NoticeFilter, window: Window) -> Page[Notice]:
    """Notices the caller may see, newest first."""
    query = await notices_page_query(ctx, filter, window)
    return await read_page(ctx, query, lambda notice: (notice.created_at, notice.id))


async def notices_page_query(
    ctx: RequestContext, filter: NoticeFilter, window: Window
) -> KeysetQuery:
    """The statements of the caller's page of notices (lists and compiled reads)."""
    statement = sa.select(Notice)
    if filter.compound_id is not None:
        statement = statement.where(col(Notice.compound_id) == filter.compound_id)
    if filter.publisher_id is not None:
        statement = statement.where(col(Notice.publisher_id) == filter.publisher_id)
    if filter.kind is not None:
        statement = statement.where(col(Notice.kind) == filter.kind)
    if filter.shown_on is not None:
        statement = statement.where(notice_in_force(filter.shown_on))

    return await ordered_page_query(
        ctx,
        RESOURCE,
        filter,
        statement,
        Ordering([col(Notice.created_at), col(Notice.id)], descending=True),
        window,
    )


async def notice_questions(
    ctx: RequestContext, notice_id: int, window: Window
) -> Page[NoticeQuestion]:
    """A notice's questions the caller may see, oldest first."""
    return await keyset_page(
        ctx,
        question_rows(ctx, notice_id),
        keys=QUESTION_KEYS,
        key_of=lambda question: (question.id,),
        window=window,
    )


QUESTION_KEYS = [col(NoticeQuestion.id)]


def question_rows(
    ctx: RequestContext, notice_id: int | sa.ColumnElement[int]
) -> sa.Select[NoticeQuestion]:
    """The questions on the notice NOTICE_ID (an id, or the enclosing row's in compiled
    reads) the caller may see, in the order of QUESTION_KEYS."""
    return scoped(ctx, NoticeQuestion, QUESTIONS).where(col(NoticeQuestion.notice_id) == notice_id)


async def read_counts(ctx: RequestContext, notice_ids: Sequence[int]) -> dict[int, int]:
    """How many people read each notice (each once), in one statement; the caller has
    already seen the notices. Served by the (notice_id, person_id) primary key."""
    if not notice_ids:
        return {}
    rows = await ctx.read(
        sa.select(col(NoticeRead.notice_id), sa.func.count())
        .where(col(NoticeRead.notice_id).in_(set(notice_ids)))
        .group_by(col(NoticeRead.notice_id))
    )
    counts = {int(notice_id): int(count) for notice_id, count in map(tuple, rows.all())}
    return {notice_id: counts.get(notice_id, 0) for notice_id in notice_ids}


async def read_by_me(ctx: RequestContext, notice_ids: Sequence[int]) -> set[int]:
    """Which of the notices the caller has marked read."""
    person_id = ctx.actor.person_id
    if not notice_ids or person_id is None:
        return set()
    rows = await ctx.read(
        sa.select(col(NoticeRead.notice_id)).where(
            col(NoticeRead.notice_id).in_(set(notice_ids)),
            col(NoticeRead.person_id) == person_id,
        )
    )
    return {int(notice_id) for notice_id in rows.scalars().all()}


async def asker_visible_ids(ctx: RequestContext, question_ids: Sequence[int]) -> set[int]:
    """Questions whose asker the caller may know (their own, or by a read_asker grant)."""
    if not question_ids:
        return set()
    rows = await ctx.read(
        sa.select(col(NoticeQuestion.id)).where(
            col(NoticeQuestion.id).in_(set(question_ids)),
            ctx.auth.decide(QUESTIONS, "read_asker").where(),
        )
    )
    return {int(question_id) for question_id in rows.scalars().all()}


@dataclass(frozen=True)
class NoticeCounts:
    """Notices of a compound whose publication began in a period: all, and accounts."""

    published: int = 0
    finances: int = 0


async def notices_published(
    ctx: RequestContext, compound_ids: Sequence[int], first: date, last: date
) -> dict[int, NoticeCounts] | None:
    """For indicators: each compound's notices whose publication began from FIRST to LAST
    (both included), withdrawn ones too, over the notices the caller may see, in one
    statement; None when the caller may see no notice anywhere."""
    decision = ctx.auth.decide(RESOURCE, "read")
    if not decision.allowed_somewhere:
        return None
    if not compound_ids:
        return {}
    finances = sa.func.count(sa.case((col(Notice.kind) == NoticeKind.FINANCES, 1)))
    rows = await ctx.read(
        sa.select(col(Notice.compound_id), sa.func.count(), finances)
        .where(
            col(Notice.compound_id).in_(set(compound_ids)),
            col(Notice.published_from) >= first,
            col(Notice.published_from) <= last,
            decision.where(),
        )
        .group_by(col(Notice.compound_id))
    )
    counts = {
        int(compound_id): NoticeCounts(int(published), int(accounts))
        for compound_id, published, accounts in map(tuple, rows.all())
    }
    return {compound_id: counts.get(compound_id, NoticeCounts()) for compound_id in compound_ids}
