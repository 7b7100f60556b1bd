"""Opening neighbourhood red stations (近鄰紅色驛站); audited."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, Station, StationFunction, StationFunctionRow
from resolvers.audited import AuditRecord
from resolvers.common import locked
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import tr
from resolvers.organisations.members import in_compound
from resolvers.stations.queries import RESOURCE
from resolvers.text import clean_name, clean_text


@dataclass(frozen=True)
class OpenStation:
    compound_id: int
    name: str
    functions: list[StationFunction] = field(default_factory=list)
    address: str | None = None


OPEN_STATION = in_compound(
    operation="openStation",
    resource=RESOURCE,
    action="open",
    what=tr("open stations in this compound"),
    needs=" over the compound (its secretary; admins)",
)


async def open_station(ctx: RequestContext, data: OpenStation) -> Station:
    async def apply(session: AsyncSession, compound: Organisation, record: AuditRecord) -> Station:
        name = clean_name(data.name, tr("station name"))
        address = clean_text(data.address, tr("address"), required=False, limit=200)
        order = list(StationFunction)
        functions = sorted(set(data.functions), key=order.index)
        if not functions:
            raise BadUserInput(tr("Give the station at least one function."))
        # Lock the compound so two stations of one name cannot open at once.
        await locked(session, Organisation, compound.id or 0, tr("organisation"))
        taken = await session.execute(
            sa.select(col(Station.id)).where(
                col(Station.compound_id) == compound.id, col(Station.name) == name
            )
        )
        if taken.first() is not None:
            raise Conflict(
                tr(
                    "{compound} already has a station named {name}.",
                    compound=compound.name,
                    name=name,
                )
            )
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

    return await OPEN_STATION.under(ctx, data.compound_id, apply, data=data)
