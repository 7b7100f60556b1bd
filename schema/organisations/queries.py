"""Queries on organisations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.organisations import queries as organisations
from schema.common.connection import AFTER, FIRST, Connection, to_connection
from schema.context import Info
from schema.ids import decode_id
from schema.organisations import loaders as organisations_loaders
from schema.organisations.inputs import OrganisationFilter
from schema.organisations.types import OrganisationType


@strawberry.type
class OrganisationQuery:
    @strawberry.field(description="One organisation by global id; null if not visible.")
    async def organisation(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")],
    ) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(
            decode_id(id, "Organisation")
        )
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Organisations you may see, by name.")
    async def organisations(
        self,
        info: Info,
        filter: Annotated[
            OrganisationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[OrganisationType]:
        domain_filter = filter.to_domain() if filter else organisations.OrganisationFilter()
        page = await organisations.list_organisations(info.context, domain_filter, first, after)
        return to_connection(page, OrganisationType.from_row)
