"""Queries on mobilisation (一聲令下)."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.mobilisation import queries as mobilisation
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.mobilisation.compiled import MOBILISATION
from schema.mobilisation.inputs import MobilisationFilter
from schema.mobilisation.types import MobilisationType


@strawberry.type
class MobilisationQuery:
    @strawberry.field(
        description="Mobilisations you may read, newest first: those that called on you, and "
        "those sent to a subtree under your grant (the party branch, committees, supervisors; "
        "mobilisation:read). `filter: {calledOnMe: true}` lists your own tasks."
    )
    async def mobilisations(
        self,
        info: Info,
        filter: Annotated[
            MobilisationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[MobilisationType]:
        domain_filter = filter.to_domain() if filter else mobilisation.MobilisationFilter()
        window = Window(first, after, last, before)
        compiled = connection_selection(info, MOBILISATION)
        if compiled is not None:
            query = await mobilisation.mobilisations_page_query(info.context, domain_filter, window)
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[MobilisationType], answer)
        page = await mobilisation.list_mobilisations(info.context, domain_filter, window)
        return to_connection(page, MobilisationType.from_row)
