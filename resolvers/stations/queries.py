"""Finding neighbourhood red stations (近鄰紅色驛站) and their functions, scoped in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col

from db.models import Station, StationFunction, StationFunctionRow
from policies.subtrees import organisations_under
from resolvers.common import scoped, subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.pagination import Page, Window, keyset_page

RESOURCE = "station"


@dataclass(frozen=True)
class StationFilter:
    compound_id: int | None = None
    subtree_of: int | None = None
    # The path of an organisation already at hand, for its subtree without a lookup.
    under_path: str | None = None
    function: StationFunction | None = None


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Station]:
    return await visible_by_ids(ctx, Station, RESOURCE, ids)


def scoped_ids(ctx: RequestContext) -> sa.Select[int | None]:
    """Ids of the stations the caller may read, as a subquery for their duties."""
    return sa.select(col(Station.id)).where(ctx.auth.decide(RESOURCE, "read").where())


async def list_stations(
    ctx: RequestContext, filter: StationFilter, window: Window
) -> Page[Station]:
    statement = scoped(ctx, Station, RESOURCE)
    if filter.compound_id is not None:
        statement = statement.where(col(Station.compound_id) == filter.compound_id)
    if filter.subtree_of is not None:
        under = organisations_under(await subtree_root(ctx, filter.subtree_of))
        statement = statement.where(col(Station.compound_id).in_(under))
    if filter.under_path is not None:
        under = organisations_under([filter.under_path])
        statement = statement.where(col(Station.compound_id).in_(under))
    if filter.function is not None:
        offering = sa.select(col(StationFunctionRow.station_id)).where(
            col(StationFunctionRow.function) == filter.function
        )
        statement = statement.where(col(Station.id).in_(offering))
    return await keyset_page(
        ctx,
        statement,
        keys=[col(Station.name), col(Station.id)],
        key_of=lambda s: (s.name, s.id),
        window=window,
    )


async def functions_of(
    ctx: RequestContext, station_ids: Sequence[int]
) -> dict[int, list[StationFunction]]:
    """Each station's functions, in the enum's order (stations already visible to the caller)."""
    # The two columns it answers with, not the rows' entities.
    rows = await ctx.read(
        sa.select(col(StationFunctionRow.station_id), col(StationFunctionRow.function)).where(
            col(StationFunctionRow.station_id).in_(station_ids)
        )
    )
    order = list(StationFunction)
    found: dict[int, list[StationFunction]] = {}
    for row in rows.all():
        found.setdefault(row.station_id, []).append(row.function)
    return {key: sorted(values, key=order.index) for key, values in found.items()}
