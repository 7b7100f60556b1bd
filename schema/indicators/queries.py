"""Queries for compound indicators."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from resolvers.indicators import queries as indicators
from schema.context import Info
from schema.ids import decode_id
from schema.indicators.types import CompoundIndicatorsType, SubtreeIndicatorsType

ON = "The day to take them on (default today); the period runs from 1 January of its year."


@strawberry.type
class IndicatorsQuery:
    @strawberry.field(
        description="A compound's indicators (小區指標), computed in SQL: the owners' committee's "
        "party share and cross-appointment, building party groups, the problem list, the "
        "firm's stars and standing, love-bank points and partner projects. Null when you may "
        "not read them (permission indicators:read: its residents, branch and committees, "
        "supervisors above it)."
    )
    async def compound_indicators(
        self,
        info: Info,
        compound: Annotated[strawberry.ID, strawberry.argument(description="The compound.")],
        date: Annotated[dt.date | None, strawberry.argument(description=ON)] = None,
    ) -> CompoundIndicatorsType | None:
        row = await indicators.compound_indicators(
            info.context, decode_id(compound, "Organisation"), date
        )
        return None if row is None else CompoundIndicatorsType.from_row(row)

    @strawberry.field(
        description="The same indicators for every compound under an organisation (a "
        "community, street, district) whose indicators you may read, with their totals, in a "
        "fixed number of SQL statements."
    )
    async def subtree_indicators(
        self,
        info: Info,
        organisation: Annotated[
            strawberry.ID, strawberry.argument(description="The top of the subtree.")
        ],
        date: Annotated[dt.date | None, strawberry.argument(description=ON)] = None,
    ) -> SubtreeIndicatorsType:
        result = await indicators.subtree_indicators(
            info.context, decode_id(organisation, "Organisation"), date
        )
        return SubtreeIndicatorsType.from_result(result)
