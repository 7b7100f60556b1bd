"""Mutations of the stations (近鄰紅色驛站) and their duty rosters; each one audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.stations import actions as stations_actions
from resolvers.stations import duties as station_duties
from schema.context import Info
from schema.mutation_support import INPUT, decode_input_as
from schema.stations.inputs import OpenStationInput, RemoveStationDutyInput, SetStationDutyInput
from schema.stations.types import StationDutyType, StationType


@strawberry.type(description="Stations.")
class StationMutation:
    @strawberry.mutation(
        description="Open a neighbourhood red station in a compound with its functions. Needs "
        "station:open over the compound (its secretary; admins). A second station of the same "
        "name in the compound is a CONFLICT."
    )
    async def open_station(
        self, info: Info, input: Annotated[OpenStationInput, strawberry.argument(description=INPUT)]
    ) -> StationType:
        data = await decode_input_as(info, "openStation", "station", input, input.to_domain)
        return StationType.from_row(await stations_actions.open_station(info.context, data))

    @strawberry.mutation(
        description="Put a resident or position holder of the compound on a station's duty "
        "roster, weekly or on a date. Needs station:set_duty (the secretary; admins). The same "
        "person overlapping themself at the station on a day is a CONFLICT."
    )
    async def set_station_duty(
        self,
        info: Info,
        input: Annotated[SetStationDutyInput, strawberry.argument(description=INPUT)],
    ) -> StationDutyType:
        data = await decode_input_as(info, "setStationDuty", "station_duty", input, input.to_domain)
        return StationDutyType.from_row(await station_duties.set_duty(info.context, data))

    @strawberry.mutation(
        description="Take a slot off a station's roster; returns it as it was. Needs "
        "station:set_duty."
    )
    async def remove_station_duty(
        self,
        info: Info,
        input: Annotated[RemoveStationDutyInput, strawberry.argument(description=INPUT)],
    ) -> StationDutyType:
        data = await decode_input_as(
            info, "removeStationDuty", "station_duty", input, input.to_domain
        )
        return StationDutyType.from_row(await station_duties.remove_duty(info.context, data))
