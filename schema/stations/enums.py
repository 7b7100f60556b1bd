"""GraphQL names and descriptions of the station enums."""

from __future__ import annotations

import strawberry

from db.models import DutyRole, StationFunction

StationFunctionEnum = strawberry.enum(
    StationFunction,
    name="StationFunction",
    description="What a neighbourhood red station (近鄰紅色驛站) offers: "
    "PARTY_EDUCATION (黨員教育), ELDER_CARE (居家養老), DELIBERATION (議事), "
    "CHILDCARE (托幼), READING (閱讀), FITNESS (健身), "
    "VOLUNTEER_SERVICE (the volunteer service point where love-bank rewards are redeemed).",
)


DutyRoleEnum = strawberry.enum(
    DutyRole,
    name="DutyRole",
    description="The part someone plays on a station's duty roster: PARTY_MEMBER on rotation "
    "(黨員輪值), VOLUNTEER (志願者), STATION_KEEPER (the one who opens and runs the station).",
)
