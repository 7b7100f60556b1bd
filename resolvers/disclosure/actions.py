"""Public disclosure, the changes: a member of the compound's party branch or owners'
committee publishes a notice for a period and may withdraw it; residents mark it read and
ask about it while it is shown; the publishing body answers in public. A joint branch
(聯合黨支部) publishes to one compound it serves at a time, naming it; the notice lies in that
compound for its residents.

Marking a notice read is a mutation like any other, so it is audited (no mutation escapes
the log), but it is kept cheap: it locks nothing (the notice row is only referenced), writes
one row keyed (notice, person) with INSERT ... ON CONFLICT DO NOTHING, so a second mark by the
same person changes nothing and counts nothing, and leaves the notice's version alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    Notice,
    NoticeKind,
    NoticeQuestion,
    NoticeRead,
    Organisation,
)
from db.periods import in_force
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import coded, tr
from resolvers.mutations import CreateMutation, Place, RowMutation, bump
from resolvers.organisations.bodies import body_place, compound_for, serving_body
from resolvers.organisations.paths import path_and_compound, path_of
from resolvers.outbox import EventKind
from resolvers.text import clean_text

BODY_LIMIT = 20_000  # a year's accounts fit
# How far ahead a publication may be scheduled, and how long a period may run.
MAX_LEAD = timedelta(days=366)
MAX_PERIOD = timedelta(days=3 * 366)


@dataclass(frozen=True)
class PublishNotice:
    publisher_id: int
    kind: NoticeKind
    title: str
    body: str
    published_from: date | None = None  # today when not given
    published_until: date | None = None  # the first day it is no longer shown
    # The compound it is published to: a joint branch's must name one it serves.
    compound_id: int | None = None


@dataclass(frozen=True)
class WithdrawNotice:
    notice_id: int
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class AskAboutNotice:
    notice_id: int
    question: str


@dataclass(frozen=True)
class AnswerNoticeQuestion:
    question_id: int
    answer: str
    expected_version: int | None = None


@dataclass(frozen=True)
class MarkNoticeRead:
    notice_id: int


def shown_on(notice: Notice, day: date) -> bool:
    """Whether residents see NOTICE on DAY (policies/scopes.py notice_in_force, for one row)."""
    return notice.withdrawn_at is None and in_force(
        notice.published_from, notice.published_until, day
    )


async def _body_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    body = serving_body(
        organisation,
        lambda other: tr(
            "Notices are published by a compound's party branch or owners' committee; {name} "
            "is a {kind}.",
            name=other.name,
            kind=coded(other.kind),
        ),
    )
    return body_place(body)


async def _notice_place(ctx: RequestContext, session: AsyncSession, notice: Notice) -> Place:
    """At its publisher, which lies in the notice's compound. A joint branch lies above the
    compound (in its grid): its notice is checked at the branch and in the compound (whose
    residents read it), and its entries and events lie in the compound."""
    path, in_compound = await path_and_compound(session, notice.publisher_id)
    path = path or "/"
    shown = shown_on(notice, ctx.today)
    if in_compound == notice.compound_id:
        return Place(
            notice.publisher_id, path, RowFacts(paths=(path,), body_path=path, in_force=shown)
        )
    compound_path = await path_of(session, notice.compound_id) or "/"
    facts = RowFacts(paths=(path, compound_path), body_path=path, in_force=shown)
    return Place(notice.compound_id, compound_path, facts, notice.compound_id)


async def _question_place(
    ctx: RequestContext, session: AsyncSession, question: NoticeQuestion
) -> Place:
    notice = await session.get(Notice, question.notice_id)
    assert notice is not None  # a question's notice is never deleted
    return await _notice_place(ctx, session, notice)


PUBLISH_NOTICE = CreateMutation(
    operation="publishNotice",
    resource="notice",
    action="publish",
    what=tr("publish notices for this body"),
    needs=" (a member of the publishing party branch or owners' committee)",
    model=Organisation,
    reads="organisation",
    noun=tr("party branch or owners' committee"),
    locate=_body_place,
    # myNotifications tells the compound's residents (and partner webhooks that may read it).
    announces=EventKind.NOTICE_PUBLISHED,
)
WITHDRAW_NOTICE = RowMutation(
    operation="withdrawNotice",
    resource="notice",
    action="withdraw",
    what=tr("withdraw this notice"),
    needs=" (a member of the body that published it)",
    model=Notice,
    noun=tr("notice"),
    locate=_notice_place,
    checks_version=True,
)
ASK_ABOUT_NOTICE = CreateMutation(
    operation="askAboutNotice",
    resource="notice",
    action="ask",
    what=tr("ask about this notice"),
    needs=" (a resident of the compound, while the notice is shown)",
    audited_as="notice_question",
    model=Notice,
    reads="notice",
    noun=tr("notice"),
    locate=_notice_place,
)
ANSWER_NOTICE_QUESTION = RowMutation(
    operation="answerNoticeQuestion",
    resource="notice_question",
    action="answer",
    what=tr("answer questions on this notice"),
    needs=" (a member of the body that published the notice)",
    model=NoticeQuestion,
    noun=tr("question"),
    locate=_question_place,
    checks_version=True,
    announces=EventKind.NOTICE_QUESTION_ANSWERED,  # the asker hears of the answer
)
MARK_NOTICE_READ = CreateMutation(
    operation="markNoticeRead",
    resource="notice",
    action="mark_read",
    what=tr("mark this notice read"),
    needs=" (a resident of the compound, while the notice is shown)",
    model=Notice,
    reads="notice",
    noun=tr("notice"),
    locate=_notice_place,
)


def _period(data: PublishNotice, today: date) -> tuple[date, date | None]:
    start = data.published_from or today
    until = data.published_until
    if start < today:
        raise BadUserInput(
            tr("A notice cannot start in the past: start it on {today} or later.", today=today)
        )
    if start > today + MAX_LEAD:
        raise BadUserInput(
            tr("A notice may be scheduled at most {days} days ahead.", days=MAX_LEAD.days)
        )
    if until is not None and until <= start:
        raise BadUserInput(
            tr(
                "publishedUntil is the first day the notice is no longer shown: after {start}.",
                start=start,
            )
        )
    if until is not None and until - start > MAX_PERIOD:
        raise BadUserInput(
            tr("A publication period may run at most {days} days.", days=MAX_PERIOD.days)
        )
    return start, until


async def publish_notice(ctx: RequestContext, data: PublishNotice) -> Notice:
    async def apply(session: AsyncSession, body: Organisation, record: AuditRecord) -> Notice:
        start, until = _period(data, ctx.today)
        notice = Notice(
            compound_id=await compound_for(session, body, data.compound_id, record),
            publisher_id=body.id or 0,
            kind=data.kind,
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            body=clean_text(data.body, tr("body"), required=True, limit=BODY_LIMIT) or "",
            published_from=start,
            published_until=until,
            published_by_id=ctx.actor.person_id,
        )
        session.add(notice)
        await session.flush()
        record.made(notice.id)
        for name in ("compound_id", "publisher_id", "kind", "title"):
            record.change(name, None, getattr(notice, name))
        record.change("published_from", None, start)
        record.change("published_until", None, until)
        return notice

    return await PUBLISH_NOTICE.under(ctx, data.publisher_id, apply, data=data)


async def withdraw_notice(ctx: RequestContext, data: WithdrawNotice) -> Notice:
    async def apply(session: AsyncSession, notice: Notice, record: AuditRecord) -> Notice:
        if notice.withdrawn_at is not None:
            raise BadUserInput(tr("This notice was already withdrawn."))
        reason = clean_text(data.reason, tr("reason"), required=True)
        notice.withdrawn_at = utcnow()
        notice.withdrawn_by_id = ctx.actor.person_id
        notice.withdraw_reason = reason
        record.change("withdrawn_at", None, notice.withdrawn_at)
        record.change("withdraw_reason", None, reason)
        bump(notice)
        await session.flush()
        return notice

    return await WITHDRAW_NOTICE.on(
        ctx, data.notice_id, apply, data=data, expected_version=data.expected_version
    )


async def ask_about_notice(ctx: RequestContext, data: AskAboutNotice) -> NoticeQuestion:
    async def apply(session: AsyncSession, notice: Notice, record: AuditRecord) -> NoticeQuestion:
        assert ctx.actor.person_id is not None  # only a resident's grant allows asking
        question = NoticeQuestion(
            notice_id=notice.id or 0,
            compound_id=notice.compound_id,
            asker_id=ctx.actor.person_id,
            question=clean_text(data.question, tr("question"), required=True) or "",
        )
        session.add(question)
        await session.flush()
        record.made(question.id)
        record.change("notice_id", None, notice.id)
        record.change("question", None, question.question)
        return question

    return await ASK_ABOUT_NOTICE.under(ctx, data.notice_id, apply, data=data)


async def answer_question(ctx: RequestContext, data: AnswerNoticeQuestion) -> NoticeQuestion:
    async def apply(
        session: AsyncSession, question: NoticeQuestion, record: AuditRecord
    ) -> NoticeQuestion:
        if question.answer is not None:
            raise BadUserInput(tr("This question is already answered; answers stand as given."))
        notice = await session.get(Notice, question.notice_id)
        if notice is not None and notice.withdrawn_at is not None:
            raise BadUserInput(tr("The notice was withdrawn; its questions take no more answers."))
        answer = clean_text(data.answer, tr("answer"), required=True)
        question.answer = answer
        question.answered_by_id = ctx.actor.person_id
        question.answered_at = utcnow()
        record.change("answer", None, answer)
        bump(question)
        await session.flush()
        return question

    return await ANSWER_NOTICE_QUESTION.on(
        ctx, data.question_id, apply, data=data, expected_version=data.expected_version
    )


async def mark_notice_read(ctx: RequestContext, data: MarkNoticeRead) -> Notice:
    """Count the caller as a reader of the notice, once however often they mark it."""

    async def apply(session: AsyncSession, notice: Notice, record: AuditRecord) -> Notice:
        assert ctx.actor.person_id is not None  # only a resident's grant allows it
        record.made(notice.id)
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # RETURNING answers a row only when the insert happened (rowcount is not reliable
        # across drivers for ON CONFLICT DO NOTHING).
        inserted = await session.execute(
            insert(NoticeRead)
            .values(notice_id=notice.id, person_id=ctx.actor.person_id, read_at=utcnow())
            .on_conflict_do_nothing()
            .returning(col(NoticeRead.notice_id))
        )
        if inserted.first() is not None:
            record.change("read", False, True)
        return notice

    return await MARK_NOTICE_READ.under(ctx, data.notice_id, apply, data=data)
