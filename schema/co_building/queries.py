"""Queries on co-building lists (共建清單)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.co_building import queries as co_building
from resolvers.pagination import Window
from schema.co_building.inputs import CoBuildingNeedFilter, CoBuildingProjectFilter
from schema.co_building.types import CoBuildingNeedType, CoBuildingProjectType
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info


@strawberry.type
class CoBuildingQuery:
    @strawberry.field(description="Needs lists you may see (need:read), in the order published.")
    async def co_building_needs(
        self,
        info: Info,
        filter: Annotated[
            CoBuildingNeedFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[CoBuildingNeedType]:
        domain_filter = filter.to_domain() if filter else co_building.NeedFilter()
        page = await co_building.list_needs(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, CoBuildingNeedType.from_row)

    @strawberry.field(
        description="Co-building projects you may see (project:read), in the order committed."
    )
    async def co_building_projects(
        self,
        info: Info,
        filter: Annotated[
            CoBuildingProjectFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[CoBuildingProjectType]:
        domain_filter = filter.to_domain() if filter else co_building.ProjectFilter()
        page = await co_building.list_projects(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, CoBuildingProjectType.from_row)
