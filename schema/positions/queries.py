"""Queries on positions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.positions import queries as positions
from schema.common.connection import AFTER, FIRST, Connection, to_connection
from schema.context import Info
from schema.positions.inputs import PositionFilter
from schema.positions.types import PositionType


@strawberry.type
class PositionQuery:
    @strawberry.field(description="Positions you may see, in order of appointment.")
    async def positions(
        self,
        info: Info,
        filter: Annotated[
            PositionFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PositionType]:
        domain_filter = filter.to_domain() if filter else positions.PositionFilter()
        page = await positions.list_positions(info.context, domain_filter, first, after)
        return to_connection(page, PositionType.from_row)
