"""Queries on positions."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.positions import queries as positions
from resolvers.positions.queries import PositionOrder
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.positions.compiled import POSITION
from schema.positions.inputs import PositionFilter
from schema.positions.types import PositionType


@strawberry.type
class PositionQuery:
    @strawberry.field(
        description="Positions you may see, in order of appointment unless `orderBy` says "
        "otherwise."
    )
    async def positions(
        self,
        info: Info,
        filter: Annotated[
            PositionFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        order_by: Annotated[
            PositionOrder, strawberry.argument(description="Sort order; APPOINTED when omitted.")
        ] = PositionOrder.APPOINTED,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PositionType]:
        domain_filter = filter.to_domain() if filter else positions.PositionFilter()
        compiled = connection_selection(info, POSITION)
        if compiled is not None:
            query = await positions.positions_page_query(
                info.context,
                domain_filter,
                first,
                after,
                last=last,
                before=before,
                order=order_by,
            )
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[PositionType], answer)
        page = await positions.list_positions(
            info.context, domain_filter, first, after, last=last, before=before, order=order_by
        )
        return to_connection(page, PositionType.from_row)
