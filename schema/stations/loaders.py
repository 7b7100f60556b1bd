"""Per-request DataLoaders of stations, their functions and duty rosters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from strawberry.dataloader import DataLoader

from db.models import Station, StationDuty, StationFunction
from resolvers.context import RequestContext
from resolvers.stations import duties as station_duties
from resolvers.stations import queries as stations
from schema.common.dataloaders import by_id, cached, many


def station(ctx: RequestContext) -> DataLoader[int, Station | None]:
    return cached(ctx, "station", lambda: DataLoader(by_id(ctx, stations.by_ids)))


def station_functions(ctx: RequestContext) -> DataLoader[int, list[StationFunction]]:
    return cached(ctx, "station:functions", lambda: DataLoader(many(ctx, stations.functions_of)))


def station_duty(ctx: RequestContext) -> DataLoader[int, StationDuty | None]:
    return cached(ctx, "station_duty", lambda: DataLoader(by_id(ctx, station_duties.by_ids)))


def station_roster(
    ctx: RequestContext, start: date, end: date
) -> DataLoader[int, list[station_duties.Shift]]:
    """Each station's shifts from START to END: one statement for a page of stations."""

    async def fetch(
        ctx: RequestContext, ids: Sequence[int]
    ) -> dict[int, list[station_duties.Shift]]:
        return await station_duties.rosters(ctx, ids, start, end)

    return cached(ctx, f"station:roster:{start}:{end}", lambda: DataLoader(many(ctx, fetch)))
