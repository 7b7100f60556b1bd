"""Queries on funds (經費與公共收益)."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.funds import queries as funds
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.funds.compiled import FUND_ENTRY
from schema.funds.inputs import FundEntryFilter
from schema.funds.types import FundBalancesType, FundEntryType
from schema.ids import decode_id


@strawberry.type
class FundQuery:
    @strawberry.field(
        description="Fund entries you may read (fund:read), newest first: the compound's "
        "branch and committees, and supervisors above it."
    )
    async def fund_entries(
        self,
        info: Info,
        filter: Annotated[
            FundEntryFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[FundEntryType]:
        domain_filter = filter.to_domain() if filter else funds.FundEntryFilter()
        window = Window(first, after, last, before)
        compiled = connection_selection(info, FUND_ENTRY)
        if compiled is not None:
            query = await funds.entries_page_query(info.context, domain_filter, window)
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[FundEntryType], answer)
        page = await funds.list_entries(info.context, domain_filter, window)
        return to_connection(page, FundEntryType.from_row)

    @strawberry.field(
        description="A compound's fund balances today (fund:read); null when you may not read "
        "its funds."
    )
    async def fund_balances(
        self,
        info: Info,
        compound: Annotated[strawberry.ID, strawberry.argument(description="The compound.")],
    ) -> FundBalancesType | None:
        found = await funds.balances(info.context, decode_id(compound, "Organisation"))
        return FundBalancesType.of(found) if found else None
