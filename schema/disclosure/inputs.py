"""Inputs of public disclosure: one per mutation, plus the list filter."""

from __future__ import annotations

from datetime import date

import strawberry

import schema.disclosure.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import NoticeKind
from resolvers.disclosure import actions
from resolvers.disclosure import queries as disclosure
from schema.ids import decode_id, decode_optional

VERSION = "The version you last read; if it changed since, the mutation fails with CONFLICT."


@strawberry.input(description="Narrow a list of notices; all given conditions apply.")
class NoticeFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="Of this compound.")
    publisher: strawberry.ID | None = strawberry.field(
        default=None, description="Published by this party branch or owners' committee."
    )
    kind: NoticeKind | None = strawberry.field(default=None, description="Of this kind.")
    shown_on: date | None = strawberry.field(
        default=None, description="Shown to residents on this day (in its period, not withdrawn)."
    )

    def to_domain(self) -> disclosure.NoticeFilter:
        return disclosure.NoticeFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            publisher_id=decode_optional(self.publisher, "Organisation"),
            kind=self.kind,
            shown_on=self.shown_on,
        )


@strawberry.input(description="A notice for the compound's residents.")
class PublishNoticeInput:
    publisher: strawberry.ID = strawberry.field(
        description="The compound's PARTY_BRANCH or OWNERS_COMMITTEE it is published by, or a "
        "joint branch (聯合黨支部, with `compound`); you must hold a position in it."
    )
    kind: NoticeKind = strawberry.field(description="What it discloses.")
    title: str = strawberry.field(description="Its title (1–200 characters).")
    body: str = strawberry.field(
        description=f"Its text (at most {actions.BODY_LIMIT:,} characters)."
    )
    published_from: date | None = strawberry.field(
        default=None,
        description="The first day it is shown: today (the default) or up to a year ahead.",
    )
    published_until: date | None = strawberry.field(
        default=None,
        description="The first day it is no longer shown (after publishedFrom, at most three "
        "years on); null: shown until withdrawn.",
    )
    compound: strawberry.ID | None = strawberry.field(
        default=None,
        description="The compound it is published to: required when the publisher is a joint "
        "branch (聯合黨支部, a grid's PARTY_BRANCH), which must serve it; a compound's own "
        "body publishes to its compound only. Otherwise BAD_USER_INPUT.",
    )

    def to_domain(self) -> actions.PublishNotice:
        return actions.PublishNotice(
            publisher_id=decode_id(self.publisher, "Organisation"),
            kind=self.kind,
            title=self.title,
            body=self.body,
            published_from=self.published_from,
            published_until=self.published_until,
            compound_id=decode_optional(self.compound, "Organisation"),
        )


@strawberry.input(description="Take a notice down before its period ends.")
class WithdrawNoticeInput:
    notice: strawberry.ID = strawberry.field(description="The notice.")
    reason: str = strawberry.field(description="Why (at most 2000 characters).")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> actions.WithdrawNotice:
        return actions.WithdrawNotice(
            notice_id=decode_id(self.notice, "Notice"),
            reason=self.reason,
            expected_version=self.expected_version,
        )


@strawberry.input(description="A resident's question on a notice, answered in public.")
class AskAboutNoticeInput:
    notice: strawberry.ID = strawberry.field(description="The notice, shown today.")
    question: str = strawberry.field(description="The question (at most 2000 characters).")

    def to_domain(self) -> actions.AskAboutNotice:
        return actions.AskAboutNotice(
            notice_id=decode_id(self.notice, "Notice"), question=self.question
        )


@strawberry.input(description="The publishing body's public answer to a question.")
class AnswerNoticeQuestionInput:
    question: strawberry.ID = strawberry.field(description="The question.")
    answer: str = strawberry.field(description="The answer (at most 2000 characters).")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> actions.AnswerNoticeQuestion:
        return actions.AnswerNoticeQuestion(
            question_id=decode_id(self.question, "NoticeQuestion"),
            answer=self.answer,
            expected_version=self.expected_version,
        )


@strawberry.input(description="You have read a notice.")
class MarkNoticeReadInput:
    notice: strawberry.ID = strawberry.field(description="The notice, shown today.")

    def to_domain(self) -> actions.MarkNoticeRead:
        return actions.MarkNoticeRead(notice_id=decode_id(self.notice, "Notice"))
