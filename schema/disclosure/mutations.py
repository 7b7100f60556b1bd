"""Mutations of public disclosure (兩公開); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.disclosure import actions
from resolvers.disclosure.actions import (
    ANSWER_NOTICE_QUESTION,
    ASK_ABOUT_NOTICE,
    MARK_NOTICE_READ,
    PUBLISH_NOTICE,
    WITHDRAW_NOTICE,
)
from schema.context import Info
from schema.disclosure.inputs import (
    AnswerNoticeQuestionInput,
    AskAboutNoticeInput,
    MarkNoticeReadInput,
    PublishNoticeInput,
    WithdrawNoticeInput,
)
from schema.disclosure.types import NoticeQuestionType, NoticeType
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type(description="Public disclosure.")
class DisclosureMutation:
    @declared(
        PUBLISH_NOTICE,
        "Publish a notice for the compound's residents, shown from publishedFrom up to, not "
        "including, publishedUntil.",
    )
    async def publish_notice(
        self,
        info: Info,
        input: Annotated[PublishNoticeInput, strawberry.argument(description=INPUT)],
    ) -> NoticeType:
        data = await decode_input(info, PUBLISH_NOTICE, input, input.to_domain)
        return NoticeType.from_row(await actions.publish_notice(info.context, data))

    @declared(WITHDRAW_NOTICE, "Take a notice down with a reason; residents no longer see it.")
    async def withdraw_notice(
        self,
        info: Info,
        input: Annotated[WithdrawNoticeInput, strawberry.argument(description=INPUT)],
    ) -> NoticeType:
        data = await decode_input(info, WITHDRAW_NOTICE, input, input.to_domain)
        return NoticeType.from_row(await actions.withdraw_notice(info.context, data))

    @declared(
        ASK_ABOUT_NOTICE,
        "Ask about a notice shown today; the question and its answer are public to the "
        "compound, who asked is not.",
    )
    async def ask_about_notice(
        self,
        info: Info,
        input: Annotated[AskAboutNoticeInput, strawberry.argument(description=INPUT)],
    ) -> NoticeQuestionType:
        data = await decode_input(info, ASK_ABOUT_NOTICE, input, input.to_domain)
        return NoticeQuestionType.from_row(await actions.ask_about_notice(info.context, data))

    @declared(ANSWER_NOTICE_QUESTION, "Answer a question on a notice, in public, once.")
    async def answer_notice_question(
        self,
        info: Info,
        input: Annotated[AnswerNoticeQuestionInput, strawberry.argument(description=INPUT)],
    ) -> NoticeQuestionType:
        data = await decode_input(info, ANSWER_NOTICE_QUESTION, input, input.to_domain)
        return NoticeQuestionType.from_row(await actions.answer_question(info.context, data))

    @declared(
        MARK_NOTICE_READ,
        "Count yourself as a reader of a notice shown today; marking it again changes nothing.",
    )
    async def mark_notice_read(
        self,
        info: Info,
        input: Annotated[MarkNoticeReadInput, strawberry.argument(description=INPUT)],
    ) -> NoticeType:
        data = await decode_input(info, MARK_NOTICE_READ, input, input.to_domain)
        return NoticeType.from_row(await actions.mark_notice_read(info.context, data))
