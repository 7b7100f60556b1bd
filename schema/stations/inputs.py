"""Inputs of stations: the list filter, opening a station, its duty roster."""

from __future__ import annotations

from datetime import date

import strawberry

import schema.stations.enums  # noqa: F401  (the enums' GraphQL names and descriptions)
from db.models import DutyRole, StationFunction
from resolvers.i18n import tr
from resolvers.stations import actions as stations_actions
from resolvers.stations import duties as station_duties
from resolvers.stations import queries as stations
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of stations; all given conditions apply.")
class StationFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    subtree: strawberry.ID | None = strawberry.field(
        default=None, description="In any compound under this organisation."
    )
    function: StationFunction | None = strawberry.field(
        default=None, description="Offering this function."
    )

    def to_domain(self) -> stations.StationFilter:
        return stations.StationFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            subtree_of=decode_optional(self.subtree, "Organisation"),
            function=self.function,
        )


@strawberry.input(description="A new neighbourhood red station in a compound.")
class OpenStationInput:
    compound: strawberry.ID = strawberry.field(description="The compound.")
    name: str = strawberry.field(description="Its name (1–200 characters, unique in the compound).")
    functions: list[StationFunction] = strawberry.field(
        description="What it offers (at least one)."
    )
    address: str | None = strawberry.field(
        default=None, description="Where in the compound (at most 200 characters)."
    )

    def to_domain(self) -> stations_actions.OpenStation:
        return stations_actions.OpenStation(
            compound_id=decode_id(self.compound, "Organisation"),
            name=self.name,
            functions=list(self.functions),
            address=self.address,
        )


@strawberry.input(
    description="Put a party member or volunteer on a station's roster: every week on a weekday, "
    "or once on a date (give exactly one)."
)
class SetStationDutyInput:
    station: strawberry.ID = strawberry.field(description="The station.")
    person: strawberry.ID = strawberry.field(
        description="Who: a resident of the station's compound or someone holding a position in it."
    )
    starts_at: str = strawberry.field(description="When the slot starts: HH:MM, local time.")
    ends_at: str = strawberry.field(description="When it ends, later the same day: HH:MM.")
    weekday: int | None = strawberry.field(
        default=None, description="Every week on this day: 1 (Monday) to 7 (Sunday)."
    )
    date: date | None = strawberry.field(default=None, description="Once, on this day (not past).")
    role: DutyRole | None = strawberry.field(
        default=None,
        description="Their part on duty; PARTY_MEMBER for party members, VOLUNTEER for others "
        "when omitted.",
    )

    def to_domain(self) -> station_duties.SetStationDuty:
        return station_duties.SetStationDuty(
            station_id=decode_id(self.station, "Station"),
            person_id=decode_id(self.person, "Person"),
            starts_at=station_duties.clock_time(self.starts_at, tr("start time")),
            ends_at=station_duties.clock_time(self.ends_at, tr("end time")),
            weekday=self.weekday,
            on_date=self.date,
            role=self.role,
        )


@strawberry.input(description="Take a slot off a station's roster.")
class RemoveStationDutyInput:
    id: strawberry.ID = strawberry.field(description="The roster slot (a StationDuty).")

    def to_domain(self) -> station_duties.RemoveStationDuty:
        return station_duties.RemoveStationDuty(id=decode_id(self.id, "StationDuty"))
