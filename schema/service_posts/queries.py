"""Queries of service posts (服務崗位), scoped in SQL."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.pagination import Window
from resolvers.service_posts import queries as service_posts
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.ids import decode_optional
from schema.service_posts.inputs import ServicePostFilter
from schema.service_posts.types import ServicePostType, ServiceRegistrationType


@strawberry.type(description="Service posts and co-building lists.")
class ServicePostQuery:
    @strawberry.field(
        description="Service posts you may see, newest first: a compound's posts are read by "
        "its residents, branch and committees, supervisors above it (service_post:read)."
    )
    async def service_posts(
        self,
        info: Info,
        filter: Annotated[
            ServicePostFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[ServicePostType]:
        domain_filter = filter.to_domain() if filter else service_posts.ServicePostFilter()
        page = await service_posts.list_posts(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, ServicePostType.from_row)

    @strawberry.field(
        description="Active reports for service (在職黨員報到) you may see, in the order reported: "
        "the branch and committees see their compound's, supervisors their subtree's, a member "
        "their own (service_registration:read)."
    )
    async def service_registrations(
        self,
        info: Info,
        compound: Annotated[
            strawberry.ID | None, strawberry.argument(description="To this compound.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[ServiceRegistrationType]:
        page = await service_posts.list_registrations(
            info.context,
            decode_optional(compound, "Organisation"),
            Window(first, after, last, before),
        )
        return to_connection(page, ServiceRegistrationType.from_row)
