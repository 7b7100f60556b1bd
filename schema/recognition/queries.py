"""Queries on mentoring pairs and commendations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.pagination import Window
from resolvers.recognition import queries as recognition
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.recognition.inputs import CommendationFilter, MentorPairFilter
from schema.recognition.types import CommendationType, MentorPairType


@strawberry.type
class RecognitionQuery:
    @strawberry.field(
        description="Mentoring pairs you may read (mentoring:read), newest first: the mentee's "
        "branch and committees, supervisors above it, the mentor and the mentee."
    )
    async def mentor_pairs(
        self,
        info: Info,
        filter: Annotated[
            MentorPairFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[MentorPairType]:
        wanted = filter.to_domain() if filter else recognition.PairFilter()
        page = await recognition.list_pairs(
            info.context, wanted, Window(first, after, last, before)
        )
        return to_connection(page, MentorPairType.from_row)

    @strawberry.field(
        description="Commendations (兩優一先) you may read (commendation:read), newest first: "
        "public in the recipient's compound; withdrawn ones only when asked for."
    )
    async def commendations(
        self,
        info: Info,
        filter: Annotated[
            CommendationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[CommendationType]:
        wanted = filter.to_domain() if filter else recognition.CommendationFilter()
        page = await recognition.list_commendations(
            info.context, wanted, Window(first, after, last, before)
        )
        return to_connection(page, CommendationType.from_row)
