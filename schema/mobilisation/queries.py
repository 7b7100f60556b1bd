"""Queries on mobilisation (一聲令下)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.mobilisation import queries as mobilisation
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
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
        page = await mobilisation.list_mobilisations(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, MobilisationType.from_row)
