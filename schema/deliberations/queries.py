"""Queries on compound meetings (小區黨支部先議)."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.deliberations import queries as deliberations
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.deliberations.compiled import COMPOUND_MEETING
from schema.deliberations.inputs import CompoundMeetingFilter
from schema.deliberations.types import CompoundMeetingType


@strawberry.type
class CompoundMeetingQuery:
    @strawberry.field(
        description="Meetings of compounds' party branches and owners' committees you may read "
        "(compound_meeting:read), latest first: a resident sees those HELD (their minutes and "
        "resolutions are disclosed), a body's members also their own scheduled and cancelled "
        "ones, the branch's secretary and deputy (who sit in, 列席) also the committee's, the "
        "branch secretary and supervisors all."
    )
    async def compound_meetings(
        self,
        info: Info,
        filter: Annotated[
            CompoundMeetingFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[CompoundMeetingType]:
        domain_filter = filter.to_domain() if filter else deliberations.CompoundMeetingFilter()
        window = Window(first, after, last, before)
        compiled = connection_selection(info, COMPOUND_MEETING)
        if compiled is not None:
            query = await deliberations.meetings_page_query(info.context, domain_filter, window)
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[CompoundMeetingType], answer)
        page = await deliberations.list_meetings(info.context, domain_filter, window)
        return to_connection(page, CompoundMeetingType.from_row)
