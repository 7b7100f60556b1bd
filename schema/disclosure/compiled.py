"""The Notice and NoticeQuestion fields compiled reads build in SQL (schema/compiled); the
read counts, whether the caller read it, and who asked a question (masked per question:
maskedFields notes only a top-level field) are answered by the resolvers. The questions are
the resolver's own rows (resolvers/disclosure/queries.py question_rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import col

from db.models import Notice, NoticeKind, NoticeQuestion
from policies.scopes import notice_in_force
from resolvers.context import RequestContext
from resolvers.disclosure import queries as disclosure
from schema.audit.compiled import audit_trail
from schema.compiled.nested import NestedConnection
from schema.compiled.objects import (
    Build,
    ObjectSpec,
    day,
    enum,
    global_id,
    on_request_day,
    plain,
    related,
    timestamp,
)
from schema.compiled.selection import Selected
from schema.organisations.compiled import ORGANISATION, readable_organisation
from schema.people.compiled import PERSON, readable_person


def _questions(ctx: RequestContext, given: Mapping[str, Any]) -> sa.Select[Any]:
    notice = cast(sa.ColumnElement[int], col(Notice.id))
    return disclosure.question_rows(ctx, notice)


def _readable_notice(ctx: RequestContext) -> sa.Select[Any]:
    # As its loader reads it: a notice the caller may still see. Its own reading of the
    # table, below the notice whose questions these are.
    statement = sa.select(Notice).where(
        col(Notice.id) == col(NoticeQuestion.notice_id),
        ctx.auth.decide(disclosure.RESOURCE, "read").where(),
    )
    return statement.correlate_except(Notice)


def _asked_by_me(build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
    # The caller's person is part of a kept plan's key (their access).
    person_id = build.ctx.actor.person_id
    if person_id is None:
        return build.json.boolean(sa.false())
    return build.json.boolean(col(NoticeQuestion.asker_id) == person_id)


NOTICE_QUESTION = ObjectSpec(
    "NoticeQuestion",
    {
        "id": global_id("NoticeQuestion", col(NoticeQuestion.id)),
        "question": plain(col(NoticeQuestion.question)),
        "answer": plain(col(NoticeQuestion.answer)),
        "askedAt": timestamp(col(NoticeQuestion.created_at)),
        "answeredAt": timestamp(col(NoticeQuestion.answered_at)),
        "version": plain(col(NoticeQuestion.version)),
        "askedByMe": _asked_by_me,
        "answeredBy": related(lambda: PERSON, readable_person(col(NoticeQuestion.answered_by_id))),
        "notice": related(lambda: NOTICE, _readable_notice),
        "auditTrail": audit_trail("notice_question", col(NoticeQuestion.id)),
    },
)

NOTICE: ObjectSpec = ObjectSpec(
    "Notice",
    {
        "id": global_id("Notice", col(Notice.id)),
        "kind": enum(col(Notice.kind), NoticeKind),
        "title": plain(col(Notice.title)),
        "body": plain(col(Notice.body)),
        "publishedFrom": day(col(Notice.published_from)),
        "publishedUntil": day(col(Notice.published_until)),
        "withdrawnAt": timestamp(col(Notice.withdrawn_at)),
        "withdrawReason": plain(col(Notice.withdraw_reason)),
        "version": plain(col(Notice.version)),
        "createdAt": timestamp(col(Notice.created_at)),
        "updatedAt": timestamp(col(Notice.updated_at)),
        # Shown on the request's day, as shown_on reads it.
        "shownToday": on_request_day(notice_in_force),
        "compound": related(lambda: ORGANISATION, readable_organisation(col(Notice.compound_id))),
        "publisher": related(lambda: ORGANISATION, readable_organisation(col(Notice.publisher_id))),
        "publishedBy": related(lambda: PERSON, readable_person(col(Notice.published_by_id))),
        "auditTrail": audit_trail("notice", col(Notice.id)),
        "questions": NestedConnection(
            lambda: NOTICE_QUESTION,
            _questions,
            [cast(sa.ColumnElement[Any], key) for key in disclosure.QUESTION_KEYS],
        ),
    },
)
