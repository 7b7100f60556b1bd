"""Queries on people, and on the signed-in caller."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.people import queries as people
from resolvers.people.queries import PersonOrder
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.people.compiled import PERSON
from schema.people.inputs import PersonFilter
from schema.people.types import PersonType
from schema.people.viewer import Viewer


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The signed-in caller; null without a token.")
    def me(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor.person_id is None:
            return None
        return Viewer(_grants=tuple(actor.grants), _person_id=actor.person_id)


@strawberry.type
class PeopleQuery:
    @strawberry.field(description="People you may see, by name unless `orderBy` says otherwise.")
    async def people(
        self,
        info: Info,
        filter: Annotated[
            PersonFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        order_by: Annotated[
            PersonOrder, strawberry.argument(description="Sort order; NAME when omitted.")
        ] = PersonOrder.NAME,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PersonType]:
        domain_filter = filter.to_domain() if filter else people.PersonFilter()
        compiled = connection_selection(info, PERSON)
        if compiled is not None:
            query = await people.people_page_query(
                info.context,
                domain_filter,
                first,
                after,
                last=last,
                before=before,
                order=order_by,
            )
            return cast(Connection[PersonType], await compiled_connection(info, compiled, query))
        page = await people.list_people(
            info.context, domain_filter, first, after, last=last, before=before, order=order_by
        )
        return to_connection(page, PersonType.from_row)
