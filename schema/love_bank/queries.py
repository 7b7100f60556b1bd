"""Queries of the love bank, scoped to what the caller may see."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.love_bank import points
from resolvers.love_bank import services as volunteer_services
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.ids import decode_id
from schema.love_bank.inputs import DatePeriod, VolunteerServiceFilter
from schema.love_bank.types import VolunteerRank, VolunteerServiceType


@strawberry.type(description="Stations and the love bank.")
class LoveBankQuery:
    @strawberry.field(
        description="Volunteer services you may see (volunteer_service:read: your own; the "
        "compound's for its branch, committees, team leaders and supervisors), newest first."
    )
    async def volunteer_services(
        self,
        info: Info,
        filter: Annotated[
            VolunteerServiceFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[VolunteerServiceType]:
        domain_filter = filter.to_domain() if filter else volunteer_services.ServiceFilter()
        page = await volunteer_services.list_services(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, VolunteerServiceType.from_row)

    @strawberry.field(
        description="Volunteers by love-bank points earned for service done in the period, in "
        "the compounds under `scope`, as far as you may read the ledger's summaries "
        "(ledger:read_summary: the branch, committees, volunteer team leaders, supervisors)."
    )
    async def volunteer_ranking(
        self,
        info: Info,
        scope: Annotated[
            strawberry.ID, strawberry.argument(description="A compound, community, street, ...")
        ],
        period: Annotated[DatePeriod, strawberry.argument(description="Days of service.")],
        first: Annotated[
            int | None, strawberry.argument(description="How many volunteers (at most 100; 20).")
        ] = None,
    ) -> list[VolunteerRank]:
        rows = await points.volunteer_ranking(
            info.context, decode_id(scope, "Organisation"), period.from_, period.to, first
        )
        return [VolunteerRank.from_row(row) for row in rows]
