"""The Station node (近鄰紅色驛站), its duty roster and its rewards."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

import schema.stations.enums  # noqa: F401  (the enums' GraphQL names and descriptions)
from db.models import DutyRole, Station, StationDuty, StationFunction
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.love_bank import rewards
from resolvers.pagination import Window
from resolvers.stations.duties import Shift, clock_text
from schema.audit.trail import audit_trail_field
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType
from schema.stations import loaders

if TYPE_CHECKING:
    from schema.love_bank.types import RewardType

RewardRef = Annotated["RewardType", strawberry.lazy("schema.love_bank.types")]
ROSTER_WEEK = 7


ROLE_NOTE = (
    "The part the person plays on duty. Sensitive, since it tells a party member from a "
    "volunteer: only for those who may read the person's party membership (permission "
    "person:read_party); null otherwise, noted in `extensions.maskedFields`."
)


async def _role_if_allowed(
    info: Info, person_id: int, role: DutyRole, field: str
) -> DutyRole | None:
    if await people_loaders.sensitive(info.context, "read_party").load(person_id):
        return role
    info.context.masked_fields.add(field)
    return None


@strawberry.type(
    name="StationDuty",
    description="One slot of a station's duty roster: a party member or volunteer of the "
    "compound on duty every week on a weekday, or once on a date. Readable by whoever may see "
    "the station (permission station:read); set and removed by the secretary "
    "(station:set_duty).",
)
class StationDutyType(relay.Node):
    id: relay.NodeID[int]
    weekday: int | None = strawberry.field(
        description="Every week on this day, 1 (Monday) to 7 (Sunday); null for a one-off date."
    )
    date: date | None = strawberry.field(description="Once, on this day; null for a weekly slot.")
    starts_at: str = strawberry.field(description="When the slot starts: HH:MM, local time.")
    ends_at: str = strawberry.field(description="When it ends: HH:MM, local time.")
    created_at: datetime = strawberry.field(description="When it was put on the roster (UTC).")
    _row: strawberry.Private[StationDuty]

    @classmethod
    def from_row(cls, row: StationDuty) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            weekday=row.weekday,
            date=row.on_date,
            starts_at=clock_text(row.starts_at),
            ends_at=clock_text(row.ends_at),
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description=ROLE_NOTE)
    async def role(self, info: Info) -> DutyRole | None:
        return await _role_if_allowed(info, self._row.person_id, self._row.role, "StationDuty.role")

    @strawberry.field(description="The station.")
    async def station(self, info: Info) -> StationType | None:
        row = await loaders.station(info.context).load(self._row.station_id)
        return StationType.from_row(row) if row else None

    @strawberry.field(
        description="Who is on duty, if you may see them (permission person:read: residents see "
        "the compound's office holders, the branch and committees everyone in it)."
    )
    async def person(self, info: Info) -> PersonType | None:
        row = await people_loaders.person(info.context).load(self._row.person_id)
        return PersonType.from_row(row) if row else None


@strawberry.type(description="One day's occurrence of a duty slot.")
class DutyShift:
    date: date = strawberry.field(description="The day.")
    starts_at: str = strawberry.field(description="When it starts: HH:MM, local time.")
    ends_at: str = strawberry.field(description="When it ends: HH:MM, local time.")
    _shift: strawberry.Private[Shift]

    @classmethod
    def from_shift(cls, shift: Shift) -> Self:
        duty = shift.duty
        return cls(
            date=shift.day,
            starts_at=clock_text(duty.starts_at),
            ends_at=clock_text(duty.ends_at),
            _shift=shift,
        )

    @strawberry.field(description=ROLE_NOTE)
    async def role(self, info: Info) -> DutyRole | None:
        duty = self._shift.duty
        return await _role_if_allowed(info, duty.person_id, duty.role, "DutyShift.role")

    @strawberry.field(description="The roster slot this comes from (its id removes it).")
    def duty(self) -> StationDutyType:
        return StationDutyType.from_row(self._shift.duty)

    @strawberry.field(description="Who is on duty, if you may see them (permission person:read).")
    async def person(self, info: Info) -> PersonType | None:
        row = await people_loaders.person(info.context).load(self._shift.duty.person_id)
        return PersonType.from_row(row) if row else None


@strawberry.type(
    name="Station",
    description="A neighbourhood red station (近鄰紅色驛站) of a compound: a shared room with its "
    "functions, a duty roster of party members and volunteers, and the love-bank rewards it "
    "gives for points. Readable in its compound and above (permission station:read: residents, "
    "the branch and committees, volunteer team leaders, the firm serving it, supervisors); "
    "opened by the secretary (station:open).",
)
class StationType(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Its name, unique in the compound.")
    address: str | None = strawberry.field(description="Where in the compound it is.")
    version: int = strawberry.field(description="Incremented on every change.")
    created_at: datetime = strawberry.field(description="When it was opened (UTC).")
    _row: strawberry.Private[Station]

    @classmethod
    def from_row(cls, row: Station) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            address=row.address,
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="What it offers.")
    async def functions(self, info: Info) -> list[StationFunction]:
        return await loaders.station_functions(info.context).load(self.id)

    @strawberry.field(description="The compound it belongs to.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="Who is on duty each day from `from` to `to` (at most 31 days), in time "
        "order: the weekly slots on their weekdays and the one-off slots on their dates."
    )
    async def duty_roster(
        self,
        info: Info,
        from_: Annotated[
            date | None,
            strawberry.argument(name="from", description="The first day; today when omitted."),
        ] = None,
        to: Annotated[
            date | None,
            strawberry.argument(description="The last day; a week from `from` when omitted."),
        ] = None,
    ) -> list[DutyShift]:
        start = from_ or info.context.today
        try:
            end = to or start + timedelta(days=ROSTER_WEEK - 1)
        except OverflowError as error:
            raise BadUserInput(tr("Give a roster start before the end of the calendar.")) from error
        shifts = await loaders.station_roster(info.context, start, end).load(self.id)
        return [DutyShift.from_shift(shift) for shift in shifts]

    @strawberry.field(
        description="The rewards it gives for love-bank points, oldest first (permission "
        "reward:read)."
    )
    async def rewards(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[RewardRef]:
        from schema.love_bank.types import RewardType

        page = await rewards.list_rewards(info.context, self.id, Window(first, after, last, before))
        return to_connection(page, RewardType.from_row)

    audit_trail = audit_trail_field("station")


register_node("station", StationType, loaders.station)
register_node("station_duty", StationDutyType, loaders.station_duty)
