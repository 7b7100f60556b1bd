"""Mutations of the love bank (愛心銀行); each one audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.love_bank import rewards
from resolvers.love_bank import services as volunteer_services
from resolvers.love_bank.rewards import LIST_REWARD, REDEEM_POINTS
from resolvers.love_bank.services import CONFIRM_VOLUNTEER_SERVICE, RECORD_VOLUNTEER_SERVICE
from schema.context import Info
from schema.love_bank.inputs import (
    ConfirmVolunteerServiceInput,
    ListRewardInput,
    RecordVolunteerServiceInput,
    RedeemPointsInput,
)
from schema.love_bank.types import LedgerEntryType, RewardType, VolunteerServiceType
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type(description="The love bank.")
class LoveBankMutation:
    @declared(
        RECORD_VOLUNTEER_SERVICE,
        "Record a volunteer's service in a compound: PENDING, no points until the volunteer "
        "confirms.",
    )
    async def record_volunteer_service(
        self,
        info: Info,
        input: Annotated[RecordVolunteerServiceInput, strawberry.argument(description=INPUT)],
    ) -> VolunteerServiceType:
        data = await decode_input(info, RECORD_VOLUNTEER_SERVICE, input, input.to_domain)
        return VolunteerServiceType.from_row(
            await volunteer_services.record_service(info.context, data)
        )

    @declared(
        CONFIRM_VOLUNTEER_SERVICE,
        "Confirm your own PENDING service (once): its points are posted to your account in the "
        "ledger.",
    )
    async def confirm_volunteer_service(
        self,
        info: Info,
        input: Annotated[ConfirmVolunteerServiceInput, strawberry.argument(description=INPUT)],
    ) -> VolunteerServiceType:
        data = await decode_input(info, CONFIRM_VOLUNTEER_SERVICE, input, input.to_domain)
        return VolunteerServiceType.from_row(
            await volunteer_services.confirm_service(info.context, data)
        )

    @declared(
        LIST_REWARD, "List a reward at a station, with its cost in points and an optional stock."
    )
    async def list_reward(
        self, info: Info, input: Annotated[ListRewardInput, strawberry.argument(description=INPUT)]
    ) -> RewardType:
        data = await decode_input(info, LIST_REWARD, input, input.to_domain)
        return RewardType.from_row(await rewards.list_reward(info.context, data))

    @declared(
        REDEEM_POINTS,
        "Spend your own points on a reward at a station of the compound you live in.",
        "The balance and the stock are checked under a lock: concurrent redemptions never "
        "overdraw; not enough points or stock is BAD_USER_INPUT.",
    )
    async def redeem_points(
        self,
        info: Info,
        input: Annotated[RedeemPointsInput, strawberry.argument(description=INPUT)],
    ) -> LedgerEntryType:
        data = await decode_input(info, REDEEM_POINTS, input, input.to_domain)
        return LedgerEntryType.from_row(await rewards.redeem_points(info.context, data))
