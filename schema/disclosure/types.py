"""The Notice node (one public disclosure) and the questions residents ask on it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay

import schema.disclosure.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import Notice, NoticeKind, NoticeQuestion
from resolvers.disclosure import queries as disclosure
from resolvers.disclosure.actions import shown_on
from resolvers.pagination import Window
from schema.audit.trail import audit_trail_field
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.disclosure import loaders
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType

READERS = (
    "Residents of the compound read it while it is shown (from `publishedFrom` up to, not "
    "including, `publishedUntil`, unless withdrawn); the compound's branch and committees, "
    "supervisors above it and admins read every notice (permission notice:read)"
)
ASKER_NOTE = (
    "Only for those who may know who asked (permission notice_question:read_asker: the asker, "
    "the compound's branch and committees, supervisors, admins); null otherwise, noted in "
    "`extensions.maskedFields`."
)


@strawberry.type(
    name="NoticeQuestion",
    description="A resident's question on a notice and the publishing body's answer, both "
    "public to those who may read the notice (permission notice_question:read). Asked by a "
    "resident while the notice is shown (notice:ask); answered once by a member of the body "
    "that published it (notice_question:answer).",
)
class NoticeQuestionType(relay.Node):
    id: relay.NodeID[int]
    question: str = strawberry.field(description="What was asked.")
    answer: str | None = strawberry.field(description="The answer, once given.")
    asked_at: datetime = strawberry.field(description="When it was asked (UTC).")
    answered_at: datetime | None = strawberry.field(description="When it was answered (UTC).")
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    _row: strawberry.Private[NoticeQuestion]

    @classmethod
    def from_row(cls, row: NoticeQuestion) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            question=row.question,
            answer=row.answer,
            asked_at=row.created_at,
            answered_at=row.answered_at,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Who asked. " + ASKER_NOTE)
    async def asker(self, info: Info) -> PersonType | None:
        if not await loaders.asker_visible(info.context).load(self.id):
            info.context.masked_fields.add("NoticeQuestion.asker")
            return None
        row = await people_loaders.person(info.context).load(self._row.asker_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="Whether you asked it.")
    def asked_by_me(self, info: Info) -> bool:
        person_id = info.context.actor.person_id
        return person_id is not None and person_id == self._row.asker_id

    @strawberry.field(description="Who answered for the publishing body, if you may see them.")
    async def answered_by(self, info: Info) -> PersonType | None:
        if self._row.answered_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.answered_by_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The notice it is about, if you may still see it.")
    async def notice(self, info: Info) -> NoticeType | None:
        row = await loaders.notice(info.context).load(self._row.notice_id)
        return NoticeType.from_row(row) if row else None

    audit_trail = audit_trail_field("notice_question")


@strawberry.type(
    name="Notice",
    description="A notice a compound's party branch or owners' committee publishes to its "
    f"residents (兩公開: affairs, finances, decisions, evaluation results). {READERS}. "
    "Published and withdrawn by a member of the publishing body (notice:publish, "
    "notice:withdraw); residents mark it read (notice:mark_read) and ask about it "
    "(notice:ask) while it is shown.",
)
class NoticeType(relay.Node):
    id: relay.NodeID[int]
    kind: NoticeKind = strawberry.field(description="What it discloses.")
    title: str = strawberry.field(description="Its title.")
    body: str = strawberry.field(description="Its text.")
    published_from: date = strawberry.field(description="The first day it is shown.")
    published_until: date | None = strawberry.field(
        description="The first day it is no longer shown; null: shown until withdrawn."
    )
    withdrawn_at: datetime | None = strawberry.field(
        description="When it was withdrawn (UTC); residents no longer see it."
    )
    withdraw_reason: str | None = strawberry.field(description="Why it was withdrawn.")
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    created_at: datetime = strawberry.field(description="When it was published (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    _row: strawberry.Private[Notice]

    @classmethod
    def from_row(cls, row: Notice) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            title=row.title,
            body=row.body,
            published_from=row.published_from,
            published_until=row.published_until,
            withdrawn_at=row.withdrawn_at,
            withdraw_reason=row.withdraw_reason,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="Whether residents see it today (China time).")
    def shown_today(self, info: Info) -> bool:
        return shown_on(self._row, info.context.today)

    @strawberry.field(description="The compound it is published in.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The party branch or owners' committee that published it.")
    async def publisher(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.publisher_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Who published it for the body, if you may see them.")
    async def published_by(self, info: Info) -> PersonType | None:
        if self._row.published_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.published_by_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(
        description="How many people have read it (marked it read), each counted once."
    )
    async def read_count(self, info: Info) -> int:
        return await loaders.read_count(info.context).load(self.id)

    @strawberry.field(description="Whether you have marked it read.")
    async def read_by_me(self, info: Info) -> bool:
        return await loaders.read_by_me(info.context).load(self.id)

    @strawberry.field(description="Residents' questions and the answers, oldest first.")
    async def questions(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[NoticeQuestionType]:
        page = await disclosure.notice_questions(
            info.context, self.id, Window(first, after, last, before)
        )
        return to_connection(page, NoticeQuestionType.from_row)

    audit_trail = audit_trail_field("notice")


register_node("notice", NoticeType, loaders.notice)
register_node("notice_question", NoticeQuestionType, loaders.notice_question)
