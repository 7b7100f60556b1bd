"""The Position node."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

from db.models import Position, PositionTitle
from resolvers.positions.queries import is_active
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType
from schema.positions import loaders


@strawberry.type(
    name="Position",
    description="Who holds which title in which organisation, from the start date up to (not "
    "including) the end date. Readable by everyone in the compound and by those above it "
    "(permission position:read); everyone sees their own.",
)
class PositionType(relay.Node):
    id: relay.NodeID[int]
    title: PositionTitle = strawberry.field(description="The title held.")
    start_date: date = strawberry.field(description="First day of the term.")
    end_date: date | None = strawberry.field(
        description="The day the term ended (no longer active from this day); null while open."
    )
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    created_at: datetime = strawberry.field(description="When the appointment was recorded (UTC).")
    _row: strawberry.Private[Position]

    @classmethod
    def from_row(cls, row: Position) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            title=row.title,
            start_date=row.start_date,
            end_date=row.end_date,
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="Whether the position is active today.")
    def active(self, info: Info) -> bool:
        return is_active(self._row, info.context.today)

    @strawberry.field(description="The holder, if you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        row = await people_loaders.person(info.context).load(self._row.person_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The organisation, if you may see it.")
    async def organisation(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.organisation_id)
        return OrganisationType.from_row(row) if row else None

    audit_trail = audit_trail_field("position")


register_node("position", PositionType, loaders.position)
