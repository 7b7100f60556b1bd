"""The love bank (愛心銀行): volunteer service, rewards, ledger entries and rankings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

import schema.love_bank.enums  # noqa: F401  (the enums' GraphQL names and descriptions)
from db.models import (
    AccountKind,
    LedgerEntry,
    LedgerEntryKind,
    LedgerLine,
    PointsAccount,
    Reward,
    ServiceStatus,
    VolunteerService,
)
from resolvers.love_bank.points import RankRow
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.love_bank import loaders
from schema.organisations.loaded import visible_organisation
from schema.organisations.types import OrganisationType
from schema.people.loaded import visible_person
from schema.people.types import PersonType
from schema.stations import loaders as stations_loaders

if TYPE_CHECKING:
    from schema.stations.types import StationType

StationRef = Annotated["StationType", strawberry.lazy("schema.stations.types")]


async def _station(info: Info, station_id: int | None) -> StationRef | None:
    from schema.stations.types import StationType

    if station_id is None:
        return None
    row = await stations_loaders.station(info.context).load(station_id)
    return StationType.from_row(row) if row else None


@strawberry.type(
    name="VolunteerService",
    description="Volunteer service (志願服務) recorded for the love bank by a volunteer team "
    "leader, the secretary or a committee member (volunteer_service:record); it earns its "
    "points when the volunteer confirms it (volunteer_service:confirm, theirs alone). Points "
    "default to 10 an hour. Readable by the volunteer, and by the branch, committees, team "
    "leaders and supervisors over the compound (volunteer_service:read).",
)
class VolunteerServiceType(relay.Node):
    id: relay.NodeID[int]
    activity: str = strawberry.field(description="What was done.")
    hours: float = strawberry.field(description="How long, in hours (whole minutes).")
    occurred_on: date = strawberry.field(description="The day it took place.")
    points: int = strawberry.field(description="The points it earns (once confirmed).")
    status: ServiceStatus = strawberry.field(description="PENDING or CONFIRMED.")
    confirmed_at: datetime | None = strawberry.field(description="When the volunteer confirmed.")
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[VolunteerService]

    @classmethod
    def from_row(cls, row: VolunteerService) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            activity=row.activity,
            hours=round(row.minutes / 60, 4),
            occurred_on=row.occurred_on,
            points=row.points,
            status=row.status,
            confirmed_at=row.confirmed_at,
            created_at=row.created_at,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The volunteer, if you may see them.")
    async def volunteer(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.volunteer_id)

    @strawberry.field(description="Who recorded it, if you may see them.")
    async def recorded_by(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.recorded_by_id)

    @strawberry.field(description="The compound it was done in.")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.compound_id)

    @strawberry.field(
        description="The ledger entry that issued its points, once confirmed (ledger:read)."
    )
    async def ledger_entry(self, info: Info) -> LedgerEntryType | None:
        row = await loaders.service_entry(info.context).load(self.id)
        return LedgerEntryType.from_row(row) if row else None

    audit_trail = audit_trail_field("volunteer_service")


@strawberry.type(
    name="Reward",
    description="Something a station gives for love-bank points (愛心銀行兌換). Readable in the "
    "compound and above (reward:read); listed by the secretary (reward:list); redeemed by the "
    "compound's residents for themselves (reward:redeem).",
)
class RewardType(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What it is.")
    cost: int = strawberry.field(description="Points for one.")
    stock: int | None = strawberry.field(description="How many are left; null: no limit.")
    version: int = strawberry.field(description="Incremented on every change (each redemption).")
    created_at: datetime = strawberry.field(description="When it was listed (UTC).")
    _row: strawberry.Private[Reward]

    @classmethod
    def from_row(cls, row: Reward) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            cost=row.cost,
            stock=row.stock,
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="The station giving it.")
    async def station(self, info: Info) -> StationRef | None:
        return await _station(info, self._row.station_id)

    @strawberry.field(description="The station's compound.")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.compound_id)

    audit_trail = audit_trail_field("reward")


@strawberry.type(name="PointsAccount", description="An account of the love-bank ledger.")
class PointsAccountType:
    kind: AccountKind = strawberry.field(description="Whose account it is.")
    _row: strawberry.Private[PointsAccount]

    @strawberry.field(description="The person, for a PERSON account, if you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.person_id)

    @strawberry.field(description="The station, for a REDEMPTION account.")
    async def station(self, info: Info) -> StationRef | None:
        return await _station(info, self._row.station_id)

    @strawberry.field(description="The compound, for an ISSUANCE account.")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.compound_id)


@strawberry.type(
    name="LedgerLine",
    description="One line of a ledger entry: points into (or, negative, out of) one account.",
)
class LedgerLineType:
    amount: int = strawberry.field(description="Points in; negative: points out.")
    _row: strawberry.Private[LedgerLine]

    @strawberry.field(description="The account.")
    async def account(self, info: Info) -> PointsAccountType | None:
        row = await loaders.points_account(info.context).load(self._row.account_id)
        return PointsAccountType(kind=row.kind, _row=row) if row else None


@strawberry.type(
    name="LedgerEntry",
    description="One movement of love-bank points, in double entry: its lines always sum to "
    "zero (EARN: the compound's issuance account to the volunteer; REDEEM: the person to the "
    "station). Readable by the person whose points moved, and by the branch, committees and "
    "supervisors over the compound (ledger:read).",
)
class LedgerEntryType(relay.Node):
    id: relay.NodeID[int]
    kind: LedgerEntryKind = strawberry.field(description="EARN or REDEEM.")
    occurred_on: date = strawberry.field(
        description="The day of the service (EARN) or of the redemption (REDEEM)."
    )
    memo: str = strawberry.field(description="The activity, or the reward and quantity.")
    quantity: int | None = strawberry.field(description="How many rewards, for REDEEM.")
    created_at: datetime = strawberry.field(description="When it was posted (UTC).")
    _row: strawberry.Private[LedgerEntry]

    @classmethod
    def from_row(cls, row: LedgerEntry) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            occurred_on=row.occurred_on,
            memo=row.memo,
            quantity=row.quantity,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="Its lines, which sum to zero.")
    async def lines(self, info: Info) -> list[LedgerLineType]:
        rows = await loaders.ledger_lines(info.context).load(self.id)
        return [LedgerLineType(amount=row.amount, _row=row) for row in rows]

    @strawberry.field(description="The points moved (the sum of its positive lines).")
    async def points(self, info: Info) -> int:
        rows = await loaders.ledger_lines(info.context).load(self.id)
        return sum(row.amount for row in rows if row.amount > 0)

    @strawberry.field(description="The compound the points were earned or spent in.")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.compound_id)

    @strawberry.field(description="The service that earned them, for EARN, if you may see it.")
    async def volunteer_service(self, info: Info) -> VolunteerServiceType | None:
        if self._row.service_id is None:
            return None
        row = await loaders.volunteer_service(info.context).load(self._row.service_id)
        return VolunteerServiceType.from_row(row) if row else None

    @strawberry.field(description="The reward redeemed, for REDEEM, if you may see it.")
    async def reward(self, info: Info) -> RewardType | None:
        if self._row.reward_id is None:
            return None
        row = await loaders.reward(info.context).load(self._row.reward_id)
        return RewardType.from_row(row) if row else None

    @strawberry.field(description="The station redeemed at, for REDEEM.")
    async def station(self, info: Info) -> StationRef | None:
        return await _station(info, self._row.station_id)


@strawberry.type(description="One line of a person's points passbook.")
class PointsMovement:
    amount: int = strawberry.field(description="Points in; negative: points spent.")
    _line: strawberry.Private[LedgerLine]

    async def _entry(self, info: Info) -> LedgerEntry:
        row = await loaders.movement_entry(info.context).load(self._line.entry_id)
        assert row is not None  # a line's entry is a foreign key
        return row

    @strawberry.field(description="EARN or REDEEM.")
    async def kind(self, info: Info) -> LedgerEntryKind:
        return (await self._entry(info)).kind

    @strawberry.field(description="The day of the service or of the redemption.")
    async def occurred_on(self, info: Info) -> date:
        return (await self._entry(info)).occurred_on

    @strawberry.field(description="The activity, or the reward and quantity.")
    async def memo(self, info: Info) -> str:
        return (await self._entry(info)).memo

    @strawberry.field(description="When it was posted (UTC).")
    async def posted_at(self, info: Info) -> datetime:
        return (await self._entry(info)).created_at

    @strawberry.field(
        description="The whole entry, if you may read it (ledger:read: yours, or over its "
        "compound)."
    )
    async def entry(self, info: Info) -> LedgerEntryType | None:
        row = await loaders.ledger_entry(info.context).load(self._line.entry_id)
        return LedgerEntryType.from_row(row) if row else None


@strawberry.type(description="A volunteer's place in a ranking by points earned.")
class VolunteerRank:
    rank: int = strawberry.field(description="1 for the most points; equal points share a rank.")
    points: int = strawberry.field(description="Points earned in the period.")
    services: int = strawberry.field(description="Confirmed services in the period.")
    _person_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: RankRow) -> Self:
        return cls(
            rank=row.rank, points=row.points, services=row.services, _person_id=row.person_id
        )

    @strawberry.field(description="The volunteer, if you may see them (person:read).")
    async def person(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._person_id)


register_node("volunteer_service", VolunteerServiceType, loaders.volunteer_service)
register_node("reward", RewardType, loaders.reward)
register_node("ledger_entry", LedgerEntryType, loaders.ledger_entry)
