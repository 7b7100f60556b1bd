"""Queries on stations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.pagination import Window
from resolvers.stations import queries as stations
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.stations.inputs import StationFilter
from schema.stations.types import StationType


@strawberry.type
class StationQuery:
    @strawberry.field(description="Neighbourhood red stations you may see (station:read), by name.")
    async def stations(
        self,
        info: Info,
        filter: Annotated[
            StationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[StationType]:
        domain_filter = filter.to_domain() if filter else stations.StationFilter()
        page = await stations.list_stations(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, StationType.from_row)
