"""Volunteer service (志願服務) for the love bank: recorded by a team leader or the branch,
confirmed by the volunteer, whose confirmation posts the points to the ledger."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import AccountKind, Organisation, Person, ServiceStatus, VolunteerService
from db.types import utcnow
from resolvers.audited import AuditRecord
from resolvers.common import locked, organisation_path, scoped, visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.i18n import tr
from resolvers.love_bank import ledger
from resolvers.mutations import Place, RowMutation, place
from resolvers.organisations.members import compound_member, in_compound
from resolvers.outbox import EventKind
from resolvers.pagination import Page, Window, keyset_page
from resolvers.text import clean_text

RESOURCE = "volunteer_service"
MAX_HOURS = 24
# Service is recorded while it is remembered: at most a year back.
MAX_AGE = timedelta(days=366)
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class RecordService:
    volunteer_id: int
    compound_id: int
    activity: str
    hours: float
    occurred_on: date
    points: int | None = None


@dataclass(frozen=True)
class ConfirmService:
    service_id: int


@dataclass(frozen=True)
class ServiceFilter:
    compound_id: int | None = None
    volunteer_id: int | None = None
    status: ServiceStatus | None = None


def minutes_of(hours: float) -> int:
    """HOURS as whole minutes; more than 0 and at most 24 hours per record."""
    if not math.isfinite(hours) or hours <= 0 or hours > MAX_HOURS:
        raise BadUserInput(
            tr("Hours must be more than 0 and at most {MAX_HOURS} per record.", MAX_HOURS=MAX_HOURS)
        )
    minutes = round(hours * 60)
    if minutes < 1:
        raise BadUserInput(tr("Record at least one minute of service."))
    return minutes


def max_points(minutes: int) -> int:
    """A recorder may set points other than the rate gives, up to twice the rate."""
    return 2 * math.ceil(minutes * ledger.POINTS_PER_HOUR / 60)


def points_of(minutes: int, points: int | None) -> int:
    if points is None:
        return ledger.points_for(minutes)
    highest = max_points(minutes)
    if not 1 <= points <= highest:
        raise BadUserInput(
            tr(
                "Points for this service must be between 1 and {highest} (twice the rate of "
                "{POINTS_PER_HOUR} points an hour).",
                highest=highest,
                POINTS_PER_HOUR=ledger.POINTS_PER_HOUR,
            )
        )
    return points


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, VolunteerService]:
    return await visible_by_ids(ctx, VolunteerService, RESOURCE, ids)


async def list_services(
    ctx: RequestContext, filter: ServiceFilter, window: Window
) -> Page[VolunteerService]:
    statement = scoped(ctx, VolunteerService, RESOURCE)
    if filter.compound_id is not None:
        statement = statement.where(col(VolunteerService.compound_id) == filter.compound_id)
    if filter.volunteer_id is not None:
        statement = statement.where(col(VolunteerService.volunteer_id) == filter.volunteer_id)
    if filter.status is not None:
        statement = statement.where(col(VolunteerService.status) == filter.status)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(VolunteerService.id)],
        key_of=lambda s: (s.id,),
        window=window,
        descending=True,
    )


async def _fits_in_the_day(
    session: AsyncSession, volunteer_id: int, day: date, minutes: int
) -> None:
    """A volunteer's records of one day add up to at most 24 hours. The volunteer's row is
    locked first, so two leaders recording at once cannot both fit under the cap."""
    await locked(session, Person, volunteer_id, tr("volunteer"))
    recorded = (
        await session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(col(VolunteerService.minutes)), 0)).where(
                col(VolunteerService.volunteer_id) == volunteer_id,
                col(VolunteerService.occurred_on) == day,
            )
        )
    ).scalar_one()
    if int(recorded) + minutes > MINUTES_PER_DAY:
        hours = f"{int(recorded) / 60:g}"
        raise BadUserInput(
            tr(
                "{hours} hours are already recorded for this volunteer on {day}; a day has 24.",
                hours=hours,
                day=day,
            )
        )


async def _service_place(
    ctx: RequestContext, session: AsyncSession, service: VolunteerService
) -> Place:
    path = await organisation_path(session, service.compound_id)
    return place(service.compound_id, path, owner_person_id=service.volunteer_id)


RECORD_VOLUNTEER_SERVICE = in_compound(
    operation="recordVolunteerService",
    resource=RESOURCE,
    action="record",
    what=tr("record volunteer service in this compound"),
    needs=" (volunteer team leaders of the compound, its secretary and committee members); "
    "nobody records their own",
    announces=EventKind.VOLUNTEER_SERVICE_RECORDED,
)
CONFIRM_VOLUNTEER_SERVICE = RowMutation(
    operation="confirmVolunteerService",
    resource=RESOURCE,
    action="confirm",
    what=tr("confirm this service: only the volunteer may"),
    needs=", which only the volunteer holds",
    model=VolunteerService,
    noun=tr("service"),
    locate=_service_place,
    announces=EventKind.VOLUNTEER_SERVICE_CONFIRMED,
)


async def record_service(ctx: RequestContext, data: RecordService) -> VolunteerService:
    """Record service hours for a volunteer of the compound: PENDING, no points yet."""

    async def apply(
        session: AsyncSession, compound: Organisation, record: AuditRecord
    ) -> VolunteerService:
        if data.volunteer_id == ctx.actor.person_id:
            raise Forbidden(
                tr("You may not record your own service: another team leader or the branch does.")
            )
        volunteer = await compound_member(session, data.volunteer_id, compound, ctx.today)
        activity = clean_text(data.activity, tr("activity"), required=True, limit=200) or ""
        minutes = minutes_of(data.hours)
        if data.occurred_on > ctx.today:
            raise BadUserInput(tr("Service is recorded once it has taken place, not ahead."))
        if data.occurred_on < ctx.today - MAX_AGE:
            raise BadUserInput(tr("Service more than a year ago can no longer be recorded."))
        await _fits_in_the_day(session, volunteer.id or 0, data.occurred_on, minutes)
        service = VolunteerService(
            compound_id=compound.id or 0,
            volunteer_id=volunteer.id or 0,
            recorded_by_id=ctx.require_actor(),
            activity=activity,
            minutes=minutes,
            occurred_on=data.occurred_on,
            points=points_of(minutes, data.points),
        )
        session.add(service)
        await session.flush()
        record.target(service.id, compound.id, compound.path)
        for name in ("volunteer_id", "activity", "minutes", "occurred_on", "points", "status"):
            record.change(name, None, getattr(service, name))
        return service

    return await RECORD_VOLUNTEER_SERVICE.under(ctx, data.compound_id, apply, data=data)


async def confirm_service(ctx: RequestContext, data: ConfirmService) -> VolunteerService:
    """The volunteer confirms their service, once: its points are posted to the ledger."""

    # Locked (by RowMutation): two confirmations at once must not both find it PENDING.
    async def apply(
        session: AsyncSession, service: VolunteerService, record: AuditRecord
    ) -> VolunteerService:
        if service.status is ServiceStatus.CONFIRMED:
            confirmed = service.confirmed_at or service.updated_at
            raise Conflict(
                tr("This service was already confirmed on {confirmed}.", confirmed=confirmed)
            )
        account = await ledger.account_id(session, AccountKind.PERSON, service.volunteer_id)
        await ledger.lock_account(session, account)
        before = await ledger.balance(session, account)
        entry = await ledger.post_earning(
            session, service, person_account=account, by=ctx.actor.person_id
        )
        now = utcnow()
        record.change("status", service.status, ServiceStatus.CONFIRMED)
        record.change("confirmed_at", None, now)
        record.change("ledger_entry_id", None, entry.id)
        record.change("balance", before, before + service.points)
        service.status = ServiceStatus.CONFIRMED
        service.confirmed_at = now
        service.updated_at = now
        service.version += 1
        await session.flush()
        return service

    return await CONFIRM_VOLUNTEER_SERVICE.on(ctx, data.service_id, apply, data=data)
