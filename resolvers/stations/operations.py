"""Neighbourhood red stations (近鄰紅色驛站): opening them and finding them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, Station, StationFunction, StationFunctionRow
from policies.conditions import RowFacts
from policies.scopes import organisations_under
from resolvers.audited import AuditRecord, run_mutation
from resolvers.common import locked, scoped, subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.organisations.members import visible_compound
from resolvers.organisations.operations import clean_name
from resolvers.pagination import Page, keyset_page
from resolvers.text import clean_text

RESOURCE = "station"


@dataclass(frozen=True)
class StationFilter:
    compound_id: int | None = None
    subtree_of: int | None = None
    # The path of an organisation already at hand, for its subtree without a lookup.
    under_path: str | None = None
    function: StationFunction | None = None


@dataclass(frozen=True)
class OpenStation:
    compound_id: int
    name: str
    functions: list[StationFunction] = field(default_factory=list)
    address: str | None = None


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Station]:
    return await visible_by_ids(ctx, Station, RESOURCE, ids)


def scoped_ids(ctx: RequestContext) -> sa.Select[int | None]:
    """Ids of the stations the caller may read, as a subquery for their duties."""
    return sa.select(col(Station.id)).where(ctx.auth.decide(RESOURCE, "read").where())


async def list_stations(
    ctx: RequestContext, filter: StationFilter, first: int | None, after: str | None
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
        first=first,
        after=after,
    )


async def functions_of(
    ctx: RequestContext, station_ids: Sequence[int]
) -> dict[int, list[StationFunction]]:
    """Each station's functions, in the enum's order (stations already visible to the caller)."""
    rows = await ctx.read(
        sa.select(StationFunctionRow).where(col(StationFunctionRow.station_id).in_(station_ids))
    )
    order = list(StationFunction)
    found: dict[int, list[StationFunction]] = {}
    for row in rows.scalars():
        found.setdefault(row.station_id, []).append(row.function)
    return {key: sorted(values, key=order.index) for key, values in found.items()}


async def open_station(ctx: RequestContext, data: OpenStation) -> Station:
    async def handler(session: AsyncSession, record: AuditRecord) -> Station:
        compound = await visible_compound(ctx, session, data.compound_id)
        record.target(None, compound.id, compound.path)
        record.authorize(
            ctx.auth.decide(RESOURCE, "open"),
            RowFacts(paths=(compound.path,)),
            "open stations in this compound",
        )
        name = clean_name(data.name, "station name")
        address = clean_text(data.address, "address", required=False, limit=200)
        order = list(StationFunction)
        functions = sorted(set(data.functions), key=order.index)
        if not functions:
            raise BadUserInput("Give the station at least one function.")
        # Lock the compound so two stations of one name cannot open at once.
        await locked(session, Organisation, compound.id or 0, "organisation")
        taken = await session.execute(
            sa.select(col(Station.id)).where(
                col(Station.compound_id) == compound.id, col(Station.name) == name
            )
        )
        if taken.first() is not None:
            raise Conflict(f"{compound.name} already has a station named {name}.")
        station = Station(compound_id=compound.id or 0, name=name, address=address)
        session.add(station)
        await session.flush()
        session.add_all(
            StationFunctionRow(station_id=station.id or 0, function=f) for f in functions
        )
        await session.flush()
        record.target(station.id, compound.id, compound.path)
        record.change("compound_id", None, compound.id)
        record.change("name", None, name)
        record.change("address", None, address)
        record.change("functions", None, functions)
        return station

    return await run_mutation(
        ctx, operation="openStation", resource_type=RESOURCE, input=vars(data), handler=handler
    )
