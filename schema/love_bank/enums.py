"""GraphQL enums of the stations and the love bank."""

from __future__ import annotations

import strawberry

from db.models import AccountKind, DutyRole, LedgerEntryKind, ServiceStatus, StationFunction

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
ServiceStatusEnum = strawberry.enum(
    ServiceStatus,
    name="VolunteerServiceStatus",
    description="PENDING: recorded, waiting for the volunteer to confirm, no points yet. "
    "CONFIRMED: the volunteer confirmed it and its points were posted to the ledger.",
)
AccountKindEnum = strawberry.enum(
    AccountKind,
    name="PointsAccountKind",
    description="An account of the love-bank ledger: a compound's ISSUANCE account (points "
    "issued for service leave it), a PERSON's points account, a station's REDEMPTION account "
    "(points spent on its rewards go to it).",
)
LedgerEntryKindEnum = strawberry.enum(
    LedgerEntryKind,
    name="LedgerEntryKind",
    description="EARN: points issued for confirmed volunteer service. REDEEM: points spent on "
    "a reward at a station.",
)
