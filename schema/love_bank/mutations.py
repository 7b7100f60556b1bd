"""Mutations of the love bank (愛心銀行); each one audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.love_bank import rewards
from resolvers.love_bank import services as volunteer_services
from schema.context import Info
from schema.love_bank.inputs import (
    ConfirmVolunteerServiceInput,
    ListRewardInput,
    RecordVolunteerServiceInput,
    RedeemPointsInput,
)
from schema.love_bank.types import LedgerEntryType, RewardType, VolunteerServiceType
from schema.mutation_support import INPUT, decode_input_as


@strawberry.type(description="The love bank.")
class LoveBankMutation:
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
        data = await decode_input_as(
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
        data = await decode_input_as(
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
        data = await decode_input_as(info, "listReward", "reward", input, input.to_domain)
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
        data = await decode_input_as(info, "redeemPoints", "ledger_entry", input, input.to_domain)
        return LedgerEntryType.from_row(await rewards.redeem_points(info.context, data))
