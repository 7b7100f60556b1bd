"""Queries on people, and on the signed-in caller."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.people import queries as people
from schema.common.connection import AFTER, FIRST, Connection, to_connection
from schema.context import Info
from schema.people.inputs import PersonFilter
from schema.people.types import PersonType
from schema.people.viewer import RoleGrant, Viewer


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The signed-in caller; null without a token.")
    def me(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor.person_id is None:
            return None
        return Viewer(
            roles=[RoleGrant.from_grant(g) for g in actor.grants],
            _person_id=actor.person_id,
        )


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="People you may see, by name.")
    async def people(
        self,
        info: Info,
        filter: Annotated[
            PersonFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PersonType]:
        domain_filter = filter.to_domain() if filter else people.PersonFilter()
        page = await people.list_people(info.context, domain_filter, first, after)
        return to_connection(page, PersonType.from_row)
