"""Queries on public disclosure (兩公開)."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.disclosure import queries as disclosure
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.disclosure.compiled import NOTICE
from schema.disclosure.inputs import NoticeFilter
from schema.disclosure.types import NoticeType


@strawberry.type
class DisclosureQuery:
    @strawberry.field(
        description="Notices you may see (notice:read), newest first: residents see those "
        "shown today, the compound's bodies and supervisors every one."
    )
    async def notices(
        self,
        info: Info,
        filter: Annotated[
            NoticeFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[NoticeType]:
        domain_filter = filter.to_domain() if filter else disclosure.NoticeFilter()
        window = Window(first, after, last, before)
        compiled = connection_selection(info, NOTICE)
        if compiled is not None:
            query = await disclosure.notices_page_query(info.context, domain_filter, window)
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[NoticeType], answer)
        page = await disclosure.list_notices(info.context, domain_filter, window)
        return to_connection(page, NoticeType.from_row)
