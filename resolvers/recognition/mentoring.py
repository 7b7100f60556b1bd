"""Mentoring (導師幫帶): the street's or community's organisation officer pairs an experienced
secretary (the mentor) with a new secretary, deputy or branch committee member of a compound's
party branch (the mentee), and ends the pairing. A pair lies in the mentee's compound.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    MentorPair,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    PositionTitle,
)
from db.periods import in_force_sql
from policies.conditions import RowFacts
from policies.grants import active_on
from resolvers.audited import AuditRecord
from resolvers.common import organisation_path, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import coded, tr
from resolvers.mutations import CreateMutation, Place, RowMutation, bump
from resolvers.text import clean_text

RESOURCE = "mentoring"
NOTE_LIMIT = 300
# A mentor has held a secretary's position for at least this long when the pairing starts.
EXPERIENCE = timedelta(days=365)
# A pairing is recorded while it is remembered: it starts at most a year back or ahead.
MAX_SHIFT = timedelta(days=366)
MENTEE_TITLES = (
    PositionTitle.SECRETARY,
    PositionTitle.DEPUTY_SECRETARY,
    PositionTitle.BRANCH_COMMITTEE_MEMBER,
)
# extensions.reason of the refusals, stable for clients to branch on.
NOT_EXPERIENCED = "MENTOR_NOT_EXPERIENCED"
NOT_IN_BRANCH = "MENTEE_NOT_IN_BRANCH"
ALREADY_PAIRED = "ALREADY_PAIRED"
ALREADY_ENDED = "ALREADY_ENDED"


@dataclass(frozen=True)
class PairMentor:
    branch_id: int
    mentor_id: int
    mentee_id: int
    start_date: date | None = None  # today when not given
    end_date: date | None = None  # open-ended when not given
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class EndMentoring:
    id: int
    end_date: date | None = None  # today when not given
    note: str | None = None
    expected_version: int | None = None


async def _branch_place(
    ctx: RequestContext, session: AsyncSession, organisation: Organisation
) -> Place:
    """A pairing lies at the mentee's branch and is checked at its compound: `below` lets
    only a grant held above the compound set it up."""
    if organisation.kind is not OrganisationKind.PARTY_BRANCH or organisation.compound_id is None:
        raise BadUserInput(
            tr(
                "A mentee is paired in a compound's party branch; {name} is a {kind}.",
                name=organisation.name,
                kind=coded(organisation.kind),
            )
        )
    compound_path = await organisation_path(session, organisation.compound_id)
    return Place(
        organisation.id,
        organisation.path,
        RowFacts(paths=(compound_path,)),
        organisation.compound_id,
    )


async def _pair_place(ctx: RequestContext, session: AsyncSession, pair: MentorPair) -> Place:
    branch = await session.get(Organisation, pair.branch_id)
    assert branch is not None  # a foreign key
    return await _branch_place(ctx, session, branch)


PAIR_MENTOR = CreateMutation(
    operation="pairMentor",
    resource=RESOURCE,
    action="pair",
    what=tr("pair a mentor in this branch"),
    audited_as="mentor_pair",
    needs=" (the street's or community's organisation officer, held above the compound)",
    model=Organisation,
    reads="organisation",
    noun=tr("party branch"),
    locate=_branch_place,
    locks=True,  # pairings of one branch queue, so the overlap check below holds
)
END_MENTORING = RowMutation(
    operation="endMentoring",
    resource=RESOURCE,
    action="end",
    what=tr("end this mentoring"),
    audited_as="mentor_pair",
    needs=" (the street's or community's organisation officer, held above the compound)",
    model=MentorPair,
    noun=tr("mentoring"),
    locate=_pair_place,
    checks_version=True,
)


def _note(note: str | None) -> str:
    return clean_text(note, tr("note"), required=False, limit=NOTE_LIMIT) or ""


async def _secretary_since(session: AsyncSession, person_id: int, day: date) -> date | None:
    """When the person's earliest secretary position in force on DAY began, if they hold one."""
    found = await session.execute(
        sa.select(sa.func.min(col(Position.start_date))).where(
            col(Position.person_id) == person_id,
            col(Position.title) == PositionTitle.SECRETARY,
            active_on(day),
        )
    )
    since: date | None = found.scalar()
    return since


async def _check_mentor(session: AsyncSession, mentor: Person, start: date) -> None:
    since = await _secretary_since(session, mentor.id or 0, start)
    if since is None or start - since < EXPERIENCE:
        raise BadUserInput(
            tr(
                "{name} is not an experienced secretary: a mentor has held a secretary's "
                "position for at least {days} days when the mentoring starts.",
                name=mentor.name,
                days=EXPERIENCE.days,
            ),
            reason=NOT_EXPERIENCED,
        )


async def _check_mentee(
    session: AsyncSession, mentee: Person, branch: Organisation, start: date
) -> None:
    held = await session.execute(
        sa.select(col(Position.id)).where(
            col(Position.person_id) == mentee.id,
            col(Position.organisation_id) == branch.id,
            col(Position.title).in_(MENTEE_TITLES),
            active_on(start),
        )
    )
    if held.first() is None:
        raise BadUserInput(
            tr(
                "{name} holds no secretary's, deputy's or committee member's position in "
                "{branch} on {day}.",
                name=mentee.name,
                branch=branch.name,
                day=start,
            ),
            reason=NOT_IN_BRANCH,
        )


async def _check_overlap(
    session: AsyncSession, data: PairMentor, start: date, end: date | None
) -> None:
    """One pairing of the same two people at a time."""
    statement = sa.select(col(MentorPair.start_date)).where(
        col(MentorPair.mentor_id) == data.mentor_id,
        col(MentorPair.mentee_id) == data.mentee_id,
        sa.or_(col(MentorPair.end_date).is_(None), col(MentorPair.end_date) > start),
    )
    if end is not None:
        statement = statement.where(col(MentorPair.start_date) < end)
    clash = await session.execute(statement.limit(1))
    before = clash.scalar()
    if before is not None:
        raise Conflict(
            tr("These two are already paired from {start}.", start=before),
            reason=ALREADY_PAIRED,
        )


async def pair_mentor(ctx: RequestContext, data: PairMentor) -> MentorPair:
    async def apply(session: AsyncSession, branch: Organisation, record: AuditRecord) -> MentorPair:
        if data.mentor_id == data.mentee_id:
            raise BadUserInput(tr("A person cannot mentor themselves."))
        start = data.start_date or ctx.today
        if abs(start - ctx.today) > MAX_SHIFT:
            raise BadUserInput(
                tr(
                    "A mentoring starts at most {days} days before or after today.",
                    days=MAX_SHIFT.days,
                )
            )
        if data.end_date is not None and data.end_date <= start:
            raise BadUserInput(tr("A mentoring ends after it starts."))
        mentor = await visible_one(ctx, session, Person, "person", data.mentor_id, tr("mentor"))
        mentee = await visible_one(ctx, session, Person, "person", data.mentee_id, tr("mentee"))
        await _check_mentor(session, mentor, start)
        await _check_mentee(session, mentee, branch, start)
        await _check_overlap(session, data, start, data.end_date)
        pair = MentorPair(
            mentor_id=mentor.id or 0,
            mentee_id=mentee.id or 0,
            branch_id=branch.id or 0,
            compound_id=branch.compound_id or 0,
            start_date=start,
            end_date=data.end_date,
            note=_note(data.note),
            created_by_id=ctx.actor.person_id,
        )
        session.add(pair)
        await session.flush()
        record.target(pair.id, branch.id, branch.path, compound_id=branch.compound_id)
        for name in ("mentor_id", "mentee_id", "branch_id", "start_date", "end_date", "note"):
            record.change(name, None, getattr(pair, name))
        return pair

    return await PAIR_MENTOR.under(ctx, data.branch_id, apply, data=data)


async def end_mentoring(ctx: RequestContext, data: EndMentoring) -> MentorPair:
    async def apply(session: AsyncSession, pair: MentorPair, record: AuditRecord) -> MentorPair:
        if pair.end_date is not None and pair.end_date <= ctx.today:
            raise BadUserInput(
                tr("This mentoring ended on {day}.", day=pair.end_date), reason=ALREADY_ENDED
            )
        end = data.end_date or ctx.today
        if end > ctx.today:
            raise BadUserInput(tr("A mentoring is ended today or on a day already past."))
        if end < pair.start_date:
            raise BadUserInput(
                tr("This mentoring started on {day}; it cannot end before.", day=pair.start_date)
            )
        record.change("end_date", pair.end_date, end)
        pair.end_date = end
        note = _note(data.note)
        if note:
            record.change("note", pair.note, note)
            pair.note = note
        bump(pair)
        await session.flush()
        return pair

    return await END_MENTORING.on(
        ctx, data.id, apply, data=data, expected_version=data.expected_version
    )


def in_force(day: date) -> sa.ColumnElement[bool]:
    """Pairings running on DAY (start ≤ day < end)."""
    return in_force_sql(col(MentorPair.start_date), col(MentorPair.end_date), day)
