"""Queries on mobilisation (一聲令下)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.mobilisation import queries as mobilisation
from schema.common.connection import AFTER, FIRST, Connection, to_connection
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
    ) -> Connection[MobilisationType]:
        domain_filter = filter.to_domain() if filter else mobilisation.MobilisationFilter()
        page = await mobilisation.list_mobilisations(info.context, domain_filter, first, after)
        return to_connection(page, MobilisationType.from_row)
