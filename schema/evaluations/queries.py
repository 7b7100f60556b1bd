"""Queries of annual evaluations and firm standing (one evaluation by id: `node`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.evaluations import queries as evaluations
from resolvers.evaluations import standing
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.evaluations.inputs import EvaluationFilter, FirmStandingFilter
from schema.evaluations.standing_types import FirmStandingType
from schema.evaluations.types import EvaluationType


@strawberry.type(description="Annual evaluations and firm standing.")
class EvaluationQuery:
    @strawberry.field(
        description="Evaluations (紅色物業星級評價) you may see, the latest year first "
        "(permission evaluation:read: the compound's people, the firm serving it, supervisors)."
    )
    async def evaluations(
        self,
        info: Info,
        filter: Annotated[
            EvaluationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[EvaluationType]:
        domain_filter = filter.to_domain() if filter else evaluations.EvaluationFilter()
        page = await evaluations.list_evaluations(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, EvaluationType.from_row)

    @strawberry.field(
        description="White and black list entries of property firms you may see, the most "
        "recently set first (permission standing:read: supervisors, the firm's staff, the "
        "people of every compound the firm serves, has served or will serve)."
    )
    async def firm_standings(
        self,
        info: Info,
        filter: Annotated[
            FirmStandingFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[FirmStandingType]:
        domain_filter = filter.to_domain() if filter else standing.StandingFilter()
        page = await standing.list_standings(
            info.context, domain_filter, Window(first, after, last, before)
        )
        return to_connection(page, FirmStandingType.from_row)
