"""Queries on organisations."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.organisations import queries as organisations
from resolvers.organisations.queries import OrganisationOrder
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.ids import decode_id
from schema.organisations import loaders as organisations_loaders
from schema.organisations.compiled import ORGANISATION
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

    @strawberry.field(
        description="Organisations you may see, by name unless `orderBy` says otherwise."
    )
    async def organisations(
        self,
        info: Info,
        filter: Annotated[
            OrganisationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        order_by: Annotated[
            OrganisationOrder, strawberry.argument(description="Sort order; NAME when omitted.")
        ] = OrganisationOrder.NAME,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[OrganisationType]:
        domain_filter = filter.to_domain() if filter else organisations.OrganisationFilter()
        compiled = connection_selection(info, ORGANISATION)
        if compiled is not None:
            query = await organisations.organisations_page_query(
                info.context,
                domain_filter,
                first,
                after,
                last=last,
                before=before,
                order=order_by,
            )
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[OrganisationType], answer)
        page = await organisations.list_organisations(
            info.context, domain_filter, first, after, last=last, before=before, order=order_by
        )
        return to_connection(page, OrganisationType.from_row)
