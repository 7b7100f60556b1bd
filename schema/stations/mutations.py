"""Mutations of the stations (近鄰紅色驛站) and their duty rosters; each one audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.stations import actions as stations_actions
from resolvers.stations import duties as station_duties
from resolvers.stations.actions import OPEN_STATION
from resolvers.stations.duties import REMOVE_STATION_DUTY, SET_STATION_DUTY
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
from schema.stations.inputs import OpenStationInput, RemoveStationDutyInput, SetStationDutyInput
from schema.stations.types import StationDutyType, StationType


@strawberry.type(description="Stations.")
class StationMutation:
    @declared(
        OPEN_STATION,
        "Open a neighbourhood red station in a compound with its functions.",
        "A second station of the same name in the compound is a CONFLICT.",
    )
    async def open_station(
        self, info: Info, input: Annotated[OpenStationInput, strawberry.argument(description=INPUT)]
    ) -> StationType:
        data = await decode_input(info, OPEN_STATION, input, input.to_domain)
        return StationType.from_row(await stations_actions.open_station(info.context, data))

    @declared(
        SET_STATION_DUTY,
        "Put a resident or position holder of the compound on a station's duty roster, weekly "
        "or on a date.",
        "The same person overlapping themself at the station on a day is a CONFLICT.",
    )
    async def set_station_duty(
        self,
        info: Info,
        input: Annotated[SetStationDutyInput, strawberry.argument(description=INPUT)],
    ) -> StationDutyType:
        data = await decode_input(info, SET_STATION_DUTY, input, input.to_domain)
        return StationDutyType.from_row(await station_duties.set_duty(info.context, data))

    @declared(REMOVE_STATION_DUTY, "Take a slot off a station's roster; returns it as it was.")
    async def remove_station_duty(
        self,
        info: Info,
        input: Annotated[RemoveStationDutyInput, strawberry.argument(description=INPUT)],
    ) -> StationDutyType:
        data = await decode_input(info, REMOVE_STATION_DUTY, input, input.to_domain)
        return StationDutyType.from_row(await station_duties.remove_duty(info.context, data))
