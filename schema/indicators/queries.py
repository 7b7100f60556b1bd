"""Queries for compound indicators."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from resolvers.indicators import queries as indicators
from resolvers.indicators.queries import CompoundIndicators, SubtreeIndicators
from schema.context import Info
from schema.ids import decode_id
from schema.indicators.types import (
    CompoundIndicatorsType,
    LegacyCompoundIndicatorsType,
    LegacySubtreeIndicatorsType,
    SubtreeIndicatorsType,
)

ON = "The day to take them on (default today); the period runs from 1 January of its year."
On = Annotated[dt.date | None, strawberry.argument(description=ON)]
Compound = Annotated[strawberry.ID, strawberry.argument(description="The compound.")]
Top = Annotated[strawberry.ID, strawberry.argument(description="The top of the subtree.")]
COMPOUND = (
    "A compound's indicators (小區指標), computed in SQL: the owners' committee's party share "
    "and cross-appointment, building party groups, the problem list, the firm's stars and "
    "standing, love-bank points and partner projects. Null when you may not read them "
    "(permission indicators:read: its residents, branch and committees, supervisors above it)."
)
SUBTREE = (
    "The same indicators for every compound under an organisation (a community, street, "
    "district) whose indicators you may read, with their totals, in a fixed number of SQL "
    "statements."
)


# One reading each behind the field and its deprecated twin of the old type name.
async def _compound(
    info: Info, compound: strawberry.ID, on: dt.date | None
) -> CompoundIndicators | None:
    return await indicators.compound_indicators(
        info.context, decode_id(compound, "Organisation"), on
    )


async def _subtree(
    info: Info, organisation: strawberry.ID, on: dt.date | None
) -> SubtreeIndicators:
    return await indicators.subtree_indicators(
        info.context, decode_id(organisation, "Organisation"), on
    )


@strawberry.type
class IndicatorsQuery:
    @strawberry.field(description=COMPOUND)
    async def indicators_of_compound(
        self, info: Info, compound: Compound, date: On = None
    ) -> CompoundIndicatorsType | None:
        row = await _compound(info, compound, date)
        return None if row is None else CompoundIndicatorsType.from_row(row)

    @strawberry.field(description=SUBTREE)
    async def indicators_of_subtree(
        self, info: Info, organisation: Top, date: On = None
    ) -> SubtreeIndicatorsType:
        return SubtreeIndicatorsType.from_result(await _subtree(info, organisation, date))

    @strawberry.field(
        description=COMPOUND,
        deprecation_reason="Use indicatorsOfCompound (type CompoundIndicators).",
    )
    async def compound_indicators(
        self, info: Info, compound: Compound, date: On = None
    ) -> LegacyCompoundIndicatorsType | None:
        row = await _compound(info, compound, date)
        return None if row is None else LegacyCompoundIndicatorsType.from_row(row)

    @strawberry.field(
        description=SUBTREE,
        deprecation_reason="Use indicatorsOfSubtree (type SubtreeIndicators).",
    )
    async def subtree_indicators(
        self, info: Info, organisation: Top, date: On = None
    ) -> LegacySubtreeIndicatorsType:
        return LegacySubtreeIndicatorsType.from_result(await _subtree(info, organisation, date))
