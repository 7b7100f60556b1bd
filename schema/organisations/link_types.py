"""The OrganisationLink node."""

from __future__ import annotations

from datetime import date
from typing import Self

import strawberry
from strawberry import relay

from db.models import LinkKind, OrganisationLink
from resolvers.organisations.links import link_active
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders
from schema.organisations.types import OrganisationType


@strawberry.type(
    name="OrganisationLink",
    description="A term-bound relation between organisations: a property firm SERVES a compound "
    "(its contract), a partner unit CO_BUILDS with one. Readable by those who may read either "
    "end (permission link:read).",
)
class OrganisationLinkType(relay.Node):
    id: relay.NodeID[int]
    kind: LinkKind = strawberry.field(description="What the link means.")
    start_date: date = strawberry.field(description="First day in force.")
    end_date: date | None = strawberry.field(
        description="The day it ended (no longer in force from this day); null while open."
    )
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    _row: strawberry.Private[OrganisationLink]

    @classmethod
    def from_row(cls, row: OrganisationLink) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            start_date=row.start_date,
            end_date=row.end_date,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Whether the link is in force today.")
    def active(self, info: Info) -> bool:
        return link_active(self._row, info.context.today)

    @strawberry.field(description="The firm or partner unit, if you may see it.")
    async def source(self, info: Info) -> OrganisationType | None:
        row = await loaders.organisation(info.context).load(self._row.source_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The compound, if you may see it.")
    async def target(self, info: Info) -> OrganisationType | None:
        row = await loaders.organisation(info.context).load(self._row.target_id)
        return OrganisationType.from_row(row) if row else None


register_node("link", OrganisationLinkType, loaders.link)
