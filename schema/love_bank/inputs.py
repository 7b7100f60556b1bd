"""Inputs of the love bank: one per mutation, plus the list filters."""

from __future__ import annotations

from datetime import date

import strawberry

import schema.love_bank.enums  # noqa: F401  (the enums' GraphQL names and descriptions)
from db.models import ServiceStatus
from resolvers.love_bank import rewards
from resolvers.love_bank import services as volunteer_services
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of volunteer services; all given conditions apply.")
class VolunteerServiceFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    volunteer: strawberry.ID | None = strawberry.field(
        default=None, description="Done by this person."
    )
    status: ServiceStatus | None = strawberry.field(default=None, description="In this status.")

    def to_domain(self) -> volunteer_services.ServiceFilter:
        return volunteer_services.ServiceFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            volunteer_id=decode_optional(self.volunteer, "Person"),
            status=self.status,
        )


@strawberry.input(description="A span of days, both ends included.")
class DatePeriod:
    from_: date = strawberry.field(name="from", description="The first day.")
    to: date = strawberry.field(description="The last day.")


@strawberry.input(description="Service a volunteer did, to be confirmed by them.")
class RecordVolunteerServiceInput:
    volunteer: strawberry.ID = strawberry.field(
        description="Who served: a resident of the compound or someone holding a position in it; "
        "not yourself."
    )
    compound: strawberry.ID = strawberry.field(description="The compound served.")
    activity: str = strawberry.field(description="What was done (1–200 characters).")
    hours: float = strawberry.field(description="How long: more than 0, at most 24.")
    occurred_on: date = strawberry.field(description="The day (not ahead, at most a year back).")
    points: int | None = strawberry.field(
        default=None,
        description="Points it earns; 10 an hour rounded to the nearest (at least 1) when "
        "omitted, at most twice that rate when given.",
    )

    def to_domain(self) -> volunteer_services.RecordService:
        return volunteer_services.RecordService(
            volunteer_id=decode_id(self.volunteer, "Person"),
            compound_id=decode_id(self.compound, "Organisation"),
            activity=self.activity,
            hours=self.hours,
            occurred_on=self.occurred_on,
            points=self.points,
        )


@strawberry.input(description="Confirm your own recorded service, which posts its points.")
class ConfirmVolunteerServiceInput:
    service: strawberry.ID = strawberry.field(description="The PENDING service.")

    def to_domain(self) -> volunteer_services.ConfirmService:
        return volunteer_services.ConfirmService(
            service_id=decode_id(self.service, "VolunteerService")
        )


@strawberry.input(description="A reward a station gives for points.")
class ListRewardInput:
    station: strawberry.ID = strawberry.field(description="The station.")
    name: str = strawberry.field(description="What it is (1–100 characters).")
    cost: int = strawberry.field(description="Points for one: more than 0.")
    stock: int | None = strawberry.field(
        default=None, description="How many there are (0 or more); no limit when omitted."
    )

    def to_domain(self) -> rewards.ListReward:
        return rewards.ListReward(
            station_id=decode_id(self.station, "Station"),
            name=self.name,
            cost=self.cost,
            stock=self.stock,
        )


@strawberry.input(description="Spend your own points on a reward.")
class RedeemPointsInput:
    reward: strawberry.ID = strawberry.field(
        description="The reward, at a station of the compound you live in."
    )
    quantity: int = strawberry.field(default=1, description="How many: 1 to 100.")

    def to_domain(self) -> rewards.RedeemPoints:
        return rewards.RedeemPoints(
            reward_id=decode_id(self.reward, "Reward"), quantity=self.quantity
        )
