"""Queries on stations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.stations import queries as stations
from schema.common.connection import AFTER, FIRST, Connection, to_connection
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
    ) -> Connection[StationType]:
        domain_filter = filter.to_domain() if filter else stations.StationFilter()
        page = await stations.list_stations(info.context, domain_filter, first, after)
        return to_connection(page, StationType.from_row)
