"""A station's duty roster (輪值): party members and volunteers on duty, weekly or on a day."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import DutyRole, Organisation, PartyMembership, Station, StationDuty
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import locked, missing, organisation_path
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import Text, tr
from resolvers.mutations import CreateMutation, Mutation, Place, place
from resolvers.organisations.members import compound_member
from resolvers.stations.queries import RESOURCE as STATION
from resolvers.stations.queries import scoped_ids

RESOURCE = "station_duty"
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
MAX_ROSTER_DAYS = 31
WEEKDAY_NAMES = [
    tr("Monday"),
    tr("Tuesday"),
    tr("Wednesday"),
    tr("Thursday"),
    tr("Friday"),
    tr("Saturday"),
    tr("Sunday"),
]


@dataclass(frozen=True)
class SetStationDuty:
    station_id: int
    person_id: int
    starts_at: time
    ends_at: time
    weekday: int | None = None
    on_date: date | None = None
    role: DutyRole | None = None


@dataclass(frozen=True)
class RemoveStationDuty:
    id: int


@dataclass(frozen=True)
class Shift:
    """One occurrence of a duty on a day of the roster."""

    day: date
    duty: StationDuty


def _visible_duties(ctx: RequestContext) -> sa.Select[StationDuty]:
    """Duties of the stations the caller may read: a duty is as visible as its station."""
    return sa.select(StationDuty).where(col(StationDuty.station_id).in_(scoped_ids(ctx)))


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, StationDuty]:
    if not ids:
        return {}
    rows: list[StationDuty] = await read_whole(
        ctx.read, _visible_duties(ctx).where(col(StationDuty.id).in_(set(ids)))
    )
    return {row.id or 0: row for row in rows}


def clock_time(value: str, what: Text) -> time:
    """A time of day written HH:MM (24-hour, local time), or BAD_USER_INPUT."""
    match = _CLOCK.match(value.strip())
    if match is None:
        raise BadUserInput(
            tr("The {what} must be a time of day as HH:MM, 00:00 to 23:59.", what=what)
        )
    return time(int(match.group(1)), int(match.group(2)))


def clock_text(value: time) -> str:
    return value.strftime("%H:%M")


def roster_days(start: date, end: date) -> list[date]:
    if end < start:
        raise BadUserInput(tr("The roster's 'to' day must not be before its 'from' day."))
    days = (end - start).days + 1
    if days > MAX_ROSTER_DAYS:
        raise BadUserInput(
            tr(
                "Ask for at most {MAX_ROSTER_DAYS} days of roster at once.",
                MAX_ROSTER_DAYS=MAX_ROSTER_DAYS,
            )
        )
    return [start + timedelta(days=n) for n in range(days)]


async def rosters(
    ctx: RequestContext, station_ids: Sequence[int], start: date, end: date
) -> dict[int, list[Shift]]:
    """The shifts of each (visible) station on each day from START to END, in time order."""
    days = roster_days(start, end)
    duties: list[StationDuty] = await read_whole(
        ctx.read,
        sa.select(StationDuty).where(
            col(StationDuty.station_id).in_(set(station_ids)),
            sa.or_(
                col(StationDuty.weekday).is_not(None),
                col(StationDuty.on_date).between(start, end),
            ),
        ),
    )
    found: dict[int, list[Shift]] = {}
    for day in days:
        for duty in duties:
            if duty.on_date == day or duty.weekday == day.isoweekday():
                found.setdefault(duty.station_id, []).append(Shift(day, duty))
    for shifts in found.values():
        shifts.sort(key=lambda s: (s.day, s.duty.starts_at, s.duty.id or 0))
    return found


def _audited(duty: StationDuty) -> dict[str, object]:
    """A duty's fields as the audit log keeps them (times of day as HH:MM)."""
    return {
        "station_id": duty.station_id,
        "person_id": duty.person_id,
        "weekday": duty.weekday,
        "on_date": duty.on_date,
        "starts_at": clock_text(duty.starts_at),
        "ends_at": clock_text(duty.ends_at),
        "role": duty.role,
    }


def _same_day(duty: StationDuty, data: SetStationDuty, today: date) -> bool:
    """Whether DUTY can fall on a day the new slot DATA does (past dated duties are history)."""
    if data.on_date is not None:
        return duty.on_date == data.on_date or duty.weekday == data.on_date.isoweekday()
    if duty.on_date is not None:
        return duty.on_date >= today and duty.on_date.isoweekday() == data.weekday
    return duty.weekday == data.weekday


def _validate(data: SetStationDuty, today: date) -> None:
    if (data.weekday is None) == (data.on_date is None):
        raise BadUserInput(tr("Give either a weekday (every week) or a date (once): exactly one."))
    if data.weekday is not None and not 1 <= data.weekday <= 7:
        raise BadUserInput(tr("The weekday runs from 1 (Monday) to 7 (Sunday)."))
    if data.on_date is not None and data.on_date < today:
        raise BadUserInput(tr("A duty on a date must be today or later."))
    if data.starts_at >= data.ends_at:
        raise BadUserInput(tr("A duty must end after it starts, on the same day."))


async def station_place(ctx: RequestContext, session: AsyncSession, station: Station) -> Place:
    return place(station.compound_id, await organisation_path(session, station.compound_id))


SET_STATION_DUTY = CreateMutation(
    operation="setStationDuty",
    resource=STATION,
    action="set_duty",
    what=tr("change this station's roster"),
    audited_as=RESOURCE,
    needs=" (the secretary; admins)",
    model=Station,
    reads=STATION,
    noun=tr("station"),
    locate=station_place,
)
REMOVE_STATION_DUTY = Mutation(
    operation="removeStationDuty",
    resource=STATION,
    action="set_duty",
    what=tr("change this station's roster"),
    audited_as=RESOURCE,
)


async def set_duty(ctx: RequestContext, data: SetStationDuty) -> StationDuty:
    """Put a compound member on a station's roster."""

    async def apply(session: AsyncSession, station: Station, record: AuditRecord) -> StationDuty:
        _validate(data, ctx.today)
        compound = await session.get(Organisation, station.compound_id)
        assert compound is not None  # a station's compound is a foreign key
        person = await compound_member(session, data.person_id, compound, ctx.today)
        # One roster change at a time per station, so the overlap check holds.
        await locked(session, Station, station.id or 0, tr("station"))
        theirs = await session.execute(
            sa.select(StationDuty).where(
                col(StationDuty.station_id) == station.id,
                col(StationDuty.person_id) == person.id,
            )
        )
        for other in theirs.scalars():
            if _same_day(other, data, ctx.today) and (
                other.starts_at < data.ends_at and data.starts_at < other.ends_at
            ):
                when = (
                    tr("on {day}", day=other.on_date)
                    if other.on_date
                    else tr("every {weekday}", weekday=WEEKDAY_NAMES[(other.weekday or 1) - 1])
                )
                raise Conflict(
                    tr(
                        "{name} is already on duty here {when} {starts_at}–{ends_at}.",
                        name=person.name,
                        when=when,
                        starts_at=other.starts_at,
                        ends_at=other.ends_at,
                    )
                )
        role = data.role or (
            DutyRole.PARTY_MEMBER
            if person.party_membership is PartyMembership.MEMBER
            else DutyRole.VOLUNTEER
        )
        duty = StationDuty(
            station_id=station.id or 0,
            compound_id=station.compound_id,
            person_id=person.id or 0,
            weekday=data.weekday,
            on_date=data.on_date,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            role=role,
        )
        session.add(duty)
        await session.flush()
        record.made(duty.id)
        for name, value in _audited(duty).items():
            record.change(name, None, value)
        return duty

    # The audit log keeps times of day as HH:MM text.
    input = {
        **vars(data),
        "starts_at": clock_text(data.starts_at),
        "ends_at": clock_text(data.ends_at),
    }
    return await SET_STATION_DUTY.under(ctx, data.station_id, apply, data=input)


async def remove_duty(ctx: RequestContext, data: RemoveStationDuty) -> StationDuty:
    """Take a duty off the roster; the audit entry keeps what it was. Its own shape: a duty
    is found through its station's read scope."""

    async def handler(session: AsyncSession, record: AuditRecord) -> StationDuty:
        duty = (
            await session.execute(
                _visible_duties(ctx)
                .where(col(StationDuty.id) == data.id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        ).scalar_one_or_none()
        if duty is None:
            raise await missing(
                session,
                sa.select(col(StationDuty.id)).where(col(StationDuty.id) == data.id),
                tr("No station duty with that id exists or you may not see it."),
            )
        path = await organisation_path(session, duty.compound_id)
        record.target(duty.id, duty.compound_id, path)
        REMOVE_STATION_DUTY.authorize(ctx, record, RowFacts(paths=(path,)))
        for name, value in _audited(duty).items():
            record.change(name, value, None)
        await session.delete(duty)
        await session.flush()
        return duty

    return await REMOVE_STATION_DUTY.run(ctx, data, handler)
