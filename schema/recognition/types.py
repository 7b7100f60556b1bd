"""The MentorPair and Commendation nodes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

import schema.recognition.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import Commendation, CommendationKind, MentorPair
from db.periods import in_force
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations.loaded import visible_organisation
from schema.organisations.types import OrganisationType
from schema.people.loaded import visible_person
from schema.people.types import PersonType
from schema.recognition import loaders

SET_UP_BY = (
    "set up from above the compound by the street's or community's organisation officer "
    "(STREET_OFFICER)"
)


@strawberry.type(
    name="MentorPair",
    description="Mentoring (導師幫帶): an experienced secretary (the mentor) guiding a new "
    "secretary, deputy or branch committee member of a compound's party branch (the mentee), "
    f"{SET_UP_BY} (mentoring:pair, mentoring:end). It lies in the mentee's compound: readable "
    "by its branch and committees, supervisors above it, and the mentor and mentee themselves "
    "(mentoring:read).",
)
class MentorPairType(relay.Node):
    id: relay.NodeID[int]
    start_date: date = strawberry.field(description="The first day of the mentoring.")
    end_date: date | None = strawberry.field(
        description="The day it ended (or will end): it runs up to, not including, this day; "
        "null while open-ended."
    )
    note: str = strawberry.field(description="What the mentoring is for, or how it ended.")
    version: int = strawberry.field(description="Incremented on every change.")
    created_at: datetime = strawberry.field(description="When it was set up (UTC).")
    _row: strawberry.Private[MentorPair]

    @classmethod
    def from_row(cls, row: MentorPair) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            start_date=row.start_date,
            end_date=row.end_date,
            note=row.note,
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="Whether it runs today (start ≤ today < end).")
    def active(self, info: Info) -> bool:
        return in_force(self._row.start_date, self._row.end_date, info.context.today)

    @strawberry.field(description="The mentor, if you may see them.")
    async def mentor(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.mentor_id)

    @strawberry.field(description="The mentee, if you may see them.")
    async def mentee(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.mentee_id)

    @strawberry.field(description="The mentee's party branch.")
    async def branch(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.branch_id)

    @strawberry.field(description="The compound it lies in (the mentee's).")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.compound_id)

    audit_trail = audit_trail_field("mentor_pair")


@strawberry.type(
    name="Commendation",
    description="An honour of 兩優一先 given by a city, district, street or community party "
    f"organisation above the compound, recorded {SET_UP_BY} (commendation:commend, "
    "commendation:withdraw). It lies in the recipient's compound and is public there: its "
    "residents, branch and committees, supervisors above it, and the person honoured read it "
    "(commendation:read). A withdrawn one stays on record with why.",
)
class CommendationType(relay.Node):
    id: relay.NodeID[int]
    kind: CommendationKind = strawberry.field(description="Which honour.")
    year: int = strawberry.field(description="The year it is for.")
    title: str = strawberry.field(
        description="Its title as awarded (2025年度蕉城區優秀黨務工作者)."
    )
    citation: str = strawberry.field(description="What it was given for.")
    withdrawn_at: datetime | None = strawberry.field(
        description="When it was withdrawn, if it was."
    )
    withdrawal_reason: str | None = strawberry.field(description="Why it was withdrawn.")
    version: int = strawberry.field(description="Incremented on every change.")
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    _row: strawberry.Private[Commendation]

    @classmethod
    def from_row(cls, row: Commendation) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            year=row.year,
            title=row.title,
            citation=row.citation,
            withdrawn_at=row.withdrawn_at,
            withdrawal_reason=row.withdrawal_reason,
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="The person honoured, if a person and you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.person_id)

    @strawberry.field(description="The party branch honoured, if an organisation.")
    async def organisation(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.organisation_id)

    @strawberry.field(description="The party organisation that awarded it.")
    async def awarded_by(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.awarded_by_id)

    @strawberry.field(description="The compound it lies in (the recipient's).")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.compound_id)

    audit_trail = audit_trail_field("commendation")


register_node("mentor_pair", MentorPairType, loaders.mentor_pair)
register_node("commendation", CommendationType, loaders.commendation)
