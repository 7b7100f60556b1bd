"""Changing positions: appointing and ending who holds which role where; each audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, Person, Position, PositionTitle
from resolvers.audited import AuditRecord
from resolvers.common import locked, organisation_path, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.mutations import (
    CreateMutation,
    Place,
    RowMutation,
    bump,
    organisation_place,
    place,
)
from resolvers.organisations.rules import SINGLE_HOLDER_TITLES, TITLE_FITS
from resolvers.positions.queries import RESOURCE


@dataclass(frozen=True)
class AppointPosition:
    person_id: int
    organisation_id: int
    title: PositionTitle
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class EndPosition:
    id: int
    end_date: date | None = None
    expected_version: int | None = None


def _terms_overlap(start: date, end: date | None) -> sa.ColumnElement[bool]:
    """Positions whose [start, end) term meets [START, END)."""
    clauses = [sa.or_(col(Position.end_date).is_(None), col(Position.end_date) > start)]
    if end is not None:
        clauses.append(col(Position.start_date) < end)
    return sa.and_(*clauses)


async def _position_place(ctx: RequestContext, session: AsyncSession, position: Position) -> Place:
    path = await organisation_path(session, position.organisation_id)
    return place(position.organisation_id, path, owner_person_id=position.person_id)


APPOINT_POSITION = CreateMutation(
    operation="appointPosition",
    resource=RESOURCE,
    action="create",
    what="appoint positions in this organisation",
    needs=" over the organisation (the compound's secretary)",
    model=Organisation,
    reads="organisation",
    noun="organisation",
    locate=organisation_place,
)
END_POSITION = RowMutation(
    operation="endPosition",
    resource=RESOURCE,
    action="end",
    what="end positions in this organisation",
    model=Position,
    noun="position",
    locate=_position_place,
    checks_version=True,
)


async def appoint_position(ctx: RequestContext, data: AppointPosition) -> Position:
    async def apply(
        session: AsyncSession, organisation: Organisation, record: AuditRecord
    ) -> Position:
        person = await visible_one(ctx, session, Person, "person", data.person_id, "person")
        fits = TITLE_FITS[data.title]
        if organisation.kind not in fits:
            raise BadUserInput(
                f"A {data.title.value} belongs to a {' or '.join(sorted(k.value for k in fits))}, "
                f"not a {organisation.kind.value}."
            )
        start = data.start_date or ctx.today
        if data.end_date is not None and data.end_date < start:
            raise BadUserInput("The end date must not be before the start date.")
        # Lock the organisation so two appointments to one single-holder title serialise.
        await locked(session, Organisation, organisation.id or 0, "organisation")
        overlapping = sa.select(Position).where(
            col(Position.organisation_id) == organisation.id,
            col(Position.title) == data.title,
            _terms_overlap(start, data.end_date),
        )
        for other in (await session.execute(overlapping)).scalars():
            if other.person_id == person.id:
                raise Conflict(
                    f"{person.name} already holds this title here for part of that term."
                )
            if data.title in SINGLE_HOLDER_TITLES:
                raise Conflict(
                    f"{data.title.value} has one holder at a time and position {other.id} "
                    f"(from {other.start_date}) overlaps that term; end it first."
                )
        position = Position(
            person_id=person.id or 0,
            organisation_id=organisation.id or 0,
            title=data.title,
            start_date=start,
            end_date=data.end_date,
        )
        session.add(position)
        await session.flush()
        record.target(position.id, organisation.id, organisation.path)
        for field in ("person_id", "organisation_id", "title", "start_date", "end_date"):
            record.change(field, None, getattr(position, field))
        return position

    return await APPOINT_POSITION.under(ctx, data.organisation_id, apply, data=data)


async def end_position(ctx: RequestContext, data: EndPosition) -> Position:
    async def apply(session: AsyncSession, position: Position, record: AuditRecord) -> Position:
        end = data.end_date or ctx.today
        if position.end_date is not None and position.end_date <= ctx.today:
            raise Conflict(f"This position already ended on {position.end_date}.")
        if end < position.start_date:
            raise BadUserInput(
                f"The end date must not be before the start date ({position.start_date})."
            )
        record.change("end_date", position.end_date, end)
        position.end_date = end
        bump(position)
        await session.flush()
        return position

    return await END_POSITION.on(
        ctx, data.id, apply, data=data, expected_version=data.expected_version
    )
