"""Changing positions: appointing and ending who holds which role where; each audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, Person, Position, PositionTitle
from resolvers.audited import AuditRecord
from resolvers.common import locked, organisation_path, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import coded, tr
from resolvers.mutations import (
    CreateMutation,
    Place,
    RowMutation,
    bump,
    organisation_place,
    place,
)
from resolvers.organisations.rules import SINGLE_HOLDER_TITLES, TITLE_FITS, seat_titles
from resolvers.positions.liaison import served_compound_paths
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
    where = place(position.organisation_id, path, owner_person_id=position.person_id)
    if position.title != PositionTitle.PARTY_BUILDING_LIAISON:
        return where
    served = await served_compound_paths(session, position.organisation_id, ctx.today)
    return Place(where.organisation_id, where.path, replace(where.facts, served_paths=served))


async def _liaison_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    """A liaison appointed at a firm also lies, for `served`, in the compounds it serves."""
    where = await organisation_place(ctx, session, organisation)
    served = await served_compound_paths(session, organisation.id or 0, ctx.today)
    return Place(where.organisation_id, where.path, replace(where.facts, served_paths=served))


APPOINT_POSITION = CreateMutation(
    operation="appointPosition",
    resource=RESOURCE,
    action="create",
    what=tr("appoint positions in this organisation"),
    needs=(
        " over the organisation (the compound's secretary); a PARTY_BUILDING_LIAISON at a "
        "property firm also by the secretary of a compound the firm serves (a SERVES link in "
        "force) or a street officer above that compound"
    ),
    model=Organisation,
    reads="organisation",
    noun=tr("organisation"),
    locate=organisation_place,
)
END_POSITION = RowMutation(
    operation="endPosition",
    resource=RESOURCE,
    action="end",
    what=tr("end positions in this organisation"),
    model=Position,
    noun=tr("position"),
    locate=_position_place,
    checks_version=True,
)


async def appoint_position(ctx: RequestContext, data: AppointPosition) -> Position:
    async def apply(
        session: AsyncSession, organisation: Organisation, record: AuditRecord
    ) -> Position:
        person = await visible_one(ctx, session, Person, "person", data.person_id, tr("person"))
        fits = TITLE_FITS[data.title]
        if organisation.kind not in fits:
            raise BadUserInput(
                tr(
                    "A {title} belongs to a {fits}, not a {kind}.",
                    title=coded(data.title),
                    fits=coded(*sorted(fits), joiner=" or "),
                    kind=coded(organisation.kind),
                )
            )
        start = data.start_date or ctx.today
        if data.end_date is not None and data.end_date < start:
            raise BadUserInput(tr("The end date must not be before the start date."))
        # Lock the organisation so two appointments to one single-holder title serialise.
        await locked(session, Organisation, organisation.id or 0, tr("organisation"))
        overlapping = sa.select(Position).where(
            col(Position.organisation_id) == organisation.id,
            col(Position.title).in_(seat_titles(data.title, organisation.kind)),
            _terms_overlap(start, data.end_date),
        )
        for other in (await session.execute(overlapping)).scalars():
            if other.person_id == person.id and other.title == data.title:
                raise Conflict(
                    tr(
                        "{name} already holds this title here for part of that term.",
                        name=person.name,
                    )
                )
            if data.title in SINGLE_HOLDER_TITLES:
                holder = await session.get(Person, other.person_id)
                raise Conflict(
                    tr(
                        "{title} has one holder at a time and {holder} holds it from "
                        "{start_date}, overlapping that term; end that position first.",
                        title=coded(other.title),
                        holder=holder.name if holder is not None else "?",
                        start_date=other.start_date,
                    )
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

    declared = APPOINT_POSITION
    if data.title == PositionTitle.PARTY_BUILDING_LIAISON:
        # The branch (and the street above it) appoints its liaison to the firm serving it.
        declared = replace(APPOINT_POSITION, locate=_liaison_place)
    return await declared.under(ctx, data.organisation_id, apply, data=data)


async def end_position(ctx: RequestContext, data: EndPosition) -> Position:
    async def apply(session: AsyncSession, position: Position, record: AuditRecord) -> Position:
        end = data.end_date or ctx.today
        if position.end_date is not None and position.end_date <= ctx.today:
            raise Conflict(
                tr("This position already ended on {end_date}.", end_date=position.end_date)
            )
        if end < position.start_date:
            raise BadUserInput(
                tr(
                    "The end date must not be before the start date ({start_date}).",
                    start_date=position.start_date,
                )
            )
        record.change("end_date", position.end_date, end)
        position.end_date = end
        bump(position)
        await session.flush()
        return position

    return await END_POSITION.on(
        ctx, data.id, apply, data=data, expected_version=data.expected_version
    )
