"""Mutations of the stations (近鄰紅色驛站) and the love bank (愛心銀行); each one audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.love_bank import rewards
from resolvers.love_bank import services as volunteer_services
from resolvers.stations import duties as station_duties
from resolvers.stations import operations as stations
from schema.context import Info
from schema.love_bank.inputs import (
    ConfirmVolunteerServiceInput,
    ListRewardInput,
    OpenStationInput,
    RecordVolunteerServiceInput,
    RedeemPointsInput,
    RemoveStationDutyInput,
    SetStationDutyInput,
)
from schema.love_bank.types import LedgerEntryType, RewardType, VolunteerServiceType
from schema.mutation_support import INPUT, decode_input
from schema.stations.types import StationDutyType, StationType


@strawberry.type(description="Stations and the love bank.")
class LoveBankMutation:
    @strawberry.mutation(
        description="Open a neighbourhood red station in a compound with its functions. Needs "
        "station:open over the compound (its secretary; admins). A second station of the same "
        "name in the compound is a CONFLICT."
    )
    async def open_station(
        self, info: Info, input: Annotated[OpenStationInput, strawberry.argument(description=INPUT)]
    ) -> StationType:
        data = await decode_input(info, "openStation", "station", input, input.to_domain)
        return StationType.from_row(await stations.open_station(info.context, data))

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
        data = await decode_input(info, "setStationDuty", "station_duty", input, input.to_domain)
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
        data = await decode_input(info, "removeStationDuty", "station_duty", input, input.to_domain)
        return StationDutyType.from_row(await station_duties.remove_duty(info.context, data))

    @strawberry.mutation(
        description="Record a volunteer's service in a compound: PENDING, no points until the "
        "volunteer confirms. Needs volunteer_service:record (volunteer team leaders of the "
        "compound, its secretary and committee members); nobody records their own."
    )
    async def record_volunteer_service(
        self,
        info: Info,
        input: Annotated[RecordVolunteerServiceInput, strawberry.argument(description=INPUT)],
    ) -> VolunteerServiceType:
        data = await decode_input(
            info, "recordVolunteerService", "volunteer_service", input, input.to_domain
        )
        return VolunteerServiceType.from_row(
            await volunteer_services.record_service(info.context, data)
        )

    @strawberry.mutation(
        description="Confirm your own PENDING service (once): its points are posted to your "
        "account in the ledger. Needs volunteer_service:confirm, which only the volunteer holds."
    )
    async def confirm_volunteer_service(
        self,
        info: Info,
        input: Annotated[ConfirmVolunteerServiceInput, strawberry.argument(description=INPUT)],
    ) -> VolunteerServiceType:
        data = await decode_input(
            info, "confirmVolunteerService", "volunteer_service", input, input.to_domain
        )
        return VolunteerServiceType.from_row(
            await volunteer_services.confirm_service(info.context, data)
        )

    @strawberry.mutation(
        description="List a reward at a station, with its cost in points and an optional stock. "
        "Needs reward:list (the secretary; admins)."
    )
    async def list_reward(
        self, info: Info, input: Annotated[ListRewardInput, strawberry.argument(description=INPUT)]
    ) -> RewardType:
        data = await decode_input(info, "listReward", "reward", input, input.to_domain)
        return RewardType.from_row(await rewards.list_reward(info.context, data))

    @strawberry.mutation(
        description="Spend your own points on a reward at a station of the compound you live "
        "in. Needs reward:redeem (residents). The balance and the stock are checked under a lock: "
        "concurrent redemptions never overdraw; not enough points or stock is BAD_USER_INPUT."
    )
    async def redeem_points(
        self,
        info: Info,
        input: Annotated[RedeemPointsInput, strawberry.argument(description=INPUT)],
    ) -> LedgerEntryType:
        data = await decode_input(info, "redeemPoints", "ledger_entry", input, input.to_domain)
        return LedgerEntryType.from_row(await rewards.redeem_points(info.context, data))
