"""Taking attendance at a compound meeting and holding it: minutes and a resolution on every
matter, after which its record stands (and is disclosed to the compound's residents).

The branch secretary sits in (列席) on the owners' committee's meetings: a COMMITTEE meeting
is refused holding (BAD_USER_INPUT, `reason: SECRETARY_NOT_SITTING_IN`) unless attendance
records a person holding the SECRETARY or DEPUTY_SECRETARY position of the compound's party
branch today as SITTING_IN (or PRESENT, when they also sit on the committee). We refuse
rather than warn: the rule is the mechanism's point, and a meeting held without the
branch is one the branch did not lead. The committee votes on each matter (votes for,
against, abstaining); a branch meeting may record its votes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    AttendanceStatus,
    CompoundMeeting,
    CompoundMeetingAttendance,
    CompoundMeetingItem,
    CompoundMeetingKind,
    MeetingStatus,
    Organisation,
    Person,
    Position,
    PositionTitle,
    ResolutionOutcome,
)
from db.types import utcnow
from policies.grants import BRANCH_LEADERS, active_on
from resolvers.audited import AuditRecord
from resolvers.common import visible_one
from resolvers.context import RequestContext
from resolvers.deliberations.places import RESOURCE, meeting_place, still_scheduled
from resolvers.errors import BadUserInput, NotFound
from resolvers.i18n import coded, tr
from resolvers.mutations import RowMutation, bump
from resolvers.organisations.branches import branches_serving
from resolvers.outbox import EventKind
from resolvers.text import clean_text

SECRETARY_NOT_SITTING_IN = "SECRETARY_NOT_SITTING_IN"
MAX_ATTENDEES = 60
MINUTES_LIMIT = 20_000
RESOLUTION_LIMIT = 2_000
ROLE_LIMIT = 100


@dataclass(frozen=True)
class Attendee:
    person_id: int
    status: AttendanceStatus
    role: str | None = None


@dataclass(frozen=True)
class RecordAttendance:
    meeting_id: int
    attendees: list[Attendee]


@dataclass(frozen=True)
class Resolution:
    item_id: int
    outcome: ResolutionOutcome
    resolution: str | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None


@dataclass(frozen=True)
class HoldMeeting:
    meeting_id: int
    minutes: str
    resolutions: list[Resolution]
    expected_version: int | None = None


RECORD_COMPOUND_MEETING_ATTENDANCE = RowMutation(
    operation="recordCompoundMeetingAttendance",
    resource=RESOURCE,
    action="record_attendance",
    what=tr("record attendance at this meeting"),
    needs=" (a member of the meeting's body), on a SCHEDULED meeting",
    model=CompoundMeeting,
    noun=tr("meeting"),
    locate=meeting_place,
    guard=still_scheduled,
)
HOLD_COMPOUND_MEETING = RowMutation(
    operation="holdCompoundMeeting",
    resource=RESOURCE,
    action="hold",
    what=tr("record this meeting's minutes and resolutions"),
    needs=" (a member of the meeting's body), on a SCHEDULED meeting that has met; a "
    "COMMITTEE meeting only with the branch secretary's attendance recorded",
    model=CompoundMeeting,
    noun=tr("meeting"),
    locate=meeting_place,
    checks_version=True,
    guard=still_scheduled,
    announces=EventKind.COMPOUND_MEETING_HELD,
)


async def _roles(
    session: AsyncSession, meeting: CompoundMeeting, people: list[int], today: date
) -> dict[int, str]:
    """Each person's position title today in the compound's bodies (their role by default)."""
    rows = await session.execute(
        sa.select(col(Position.person_id), col(Position.title))
        .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
        .where(
            col(Position.person_id).in_(people),
            col(Organisation.compound_id) == meeting.compound_id,
            active_on(today),
        )
        .order_by(col(Organisation.id) != meeting.body_id, col(Position.id))
    )
    found: dict[int, str] = {}
    for person_id, title in rows.all():
        found.setdefault(int(person_id), str(PositionTitle(title).value))
    return found


async def record_attendance(ctx: RequestContext, data: RecordAttendance) -> CompoundMeeting:
    """Record (or correct) who is present, absent or sitting in; one row per person."""

    async def apply(
        session: AsyncSession, meeting: CompoundMeeting, record: AuditRecord
    ) -> CompoundMeeting:
        if not data.attendees:
            raise BadUserInput(tr("Name at least one attendee."))
        ids = [a.person_id for a in data.attendees]
        if len(set(ids)) != len(ids) or len(ids) > MAX_ATTENDEES:
            raise BadUserInput(
                tr("Name each attendee once, at most {most} of them.", most=MAX_ATTENDEES)
            )
        for attendee in data.attendees:
            await visible_one(ctx, session, Person, "person", attendee.person_id, tr("person"))
        roles = await _roles(session, meeting, ids, ctx.today)
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for attendee in data.attendees:
            role = clean_text(attendee.role, tr("role"), required=False, limit=ROLE_LIMIT)
            role = role or roles.get(attendee.person_id, "")
            row = await session.get(CompoundMeetingAttendance, (meeting.id, attendee.person_id))
            if row is None:
                row = CompoundMeetingAttendance(
                    meeting_id=meeting.id or 0,
                    person_id=attendee.person_id,
                    status=attendee.status,
                )
                session.add(row)
            else:
                before[str(attendee.person_id)] = {"status": row.status, "role": row.role}
            row.status, row.role, row.recorded_at = attendee.status, role, utcnow()
            after[str(attendee.person_id)] = {"status": attendee.status, "role": role}
        record.change("attendance", before or None, after)
        bump(meeting)
        await session.flush()
        return meeting

    return await RECORD_COMPOUND_MEETING_ATTENDANCE.on(ctx, data.meeting_id, apply, data=data)


async def secretary_attends(session: AsyncSession, meeting: CompoundMeeting, today: date) -> bool:
    """Whether attendance records the compound's branch secretary (or deputy) attending."""
    found = await session.execute(
        sa.select(sa.literal(1))
        .select_from(CompoundMeetingAttendance)
        .join(Position, col(Position.person_id) == col(CompoundMeetingAttendance.person_id))
        .join(Organisation, col(Organisation.id) == col(Position.organisation_id))
        .where(
            col(CompoundMeetingAttendance.meeting_id) == meeting.id,
            col(CompoundMeetingAttendance.status).in_(
                (AttendanceStatus.SITTING_IN, AttendanceStatus.PRESENT)
            ),
            # The branch serving the compound: its own, or its grid's joint branch.
            col(Organisation.id).in_(branches_serving(meeting.compound_id)),
            col(Position.title).in_(BRANCH_LEADERS),
            active_on(today),
        )
        .limit(1)
    )
    return found.first() is not None


def _votes(meeting: CompoundMeeting, given: Resolution) -> None:
    votes = (given.votes_for, given.votes_against, given.votes_abstain)
    if all(v is None for v in votes) and meeting.kind is CompoundMeetingKind.BRANCH:
        return
    if any(v is None or v < 0 for v in votes):
        raise BadUserInput(
            tr(
                "The owners' committee votes on each matter: give votesFor, votesAgainst and "
                "votesAbstain, none below zero."
            )
        )
    votes_for, votes_against = given.votes_for or 0, given.votes_against or 0
    adopted = given.outcome is ResolutionOutcome.ADOPTED
    if adopted != (votes_for > votes_against) and given.outcome is not ResolutionOutcome.DEFERRED:
        raise BadUserInput(
            tr(
                "{votes_for} for and {votes_against} against does not make the matter {outcome}.",
                votes_for=votes_for,
                votes_against=votes_against,
                outcome=coded(given.outcome),
            )
        )


async def _agenda(session: AsyncSession, meeting_id: int) -> list[CompoundMeetingItem]:
    rows = await session.execute(
        sa.select(CompoundMeetingItem)
        .where(col(CompoundMeetingItem.meeting_id) == meeting_id)
        .order_by(col(CompoundMeetingItem.id))
    )
    return list(rows.scalars().all())


def _resolve(
    meeting: CompoundMeeting, agenda: list[CompoundMeetingItem], data: HoldMeeting, now: datetime
) -> list[dict[str, object]]:
    """Apply one resolution to every agenda item; the audit's view of them."""
    by_item = {r.item_id: r for r in data.resolutions}
    if len(by_item) != len(data.resolutions):
        raise BadUserInput(tr("Give one resolution per agenda item."))
    items = {item.id: item for item in agenda}
    if unknown := sorted(set(by_item) - set(items)):
        raise NotFound(tr("Item {item} is not on this meeting's agenda.", item=unknown[0]))
    if left := [item.matter for item in agenda if item.id not in by_item]:
        raise BadUserInput(
            tr(
                "Every matter on the agenda needs a resolution; “{matter}” has none.",
                matter=left[0],
            )
        )
    recorded: list[dict[str, object]] = []
    for item in agenda:
        given = by_item[item.id or 0]
        _votes(meeting, given)
        item.outcome = given.outcome
        item.resolution = clean_text(
            given.resolution, tr("resolution"), required=False, limit=RESOLUTION_LIMIT
        )
        item.votes_for, item.votes_against = given.votes_for, given.votes_against
        item.votes_abstain, item.resolved_at = given.votes_abstain, now
        recorded.append(
            {
                "item_id": item.id,
                "outcome": item.outcome,
                "votes": [item.votes_for, item.votes_against, item.votes_abstain],
            }
        )
    return recorded


async def hold_meeting(ctx: RequestContext, data: HoldMeeting) -> CompoundMeeting:
    """The meeting has met: its minutes and a resolution on every matter, at once."""

    async def apply(
        session: AsyncSession, meeting: CompoundMeeting, record: AuditRecord
    ) -> CompoundMeeting:
        now = utcnow()
        if meeting.scheduled_for > now:
            raise BadUserInput(
                tr(
                    "The meeting takes place at {scheduled_for} (China time); it is held once "
                    "it has met.",
                    scheduled_for=meeting.scheduled_for,
                )
            )
        minutes = clean_text(data.minutes, tr("minutes"), required=True, limit=MINUTES_LIMIT)
        agenda = await _agenda(session, meeting.id or 0)
        if not agenda:
            raise BadUserInput(
                tr("This meeting has nothing on its agenda: add a matter, or cancel it.")
            )
        if meeting.kind is CompoundMeetingKind.COMMITTEE and not await secretary_attends(
            session, meeting, ctx.today
        ):
            raise BadUserInput(
                tr(
                    "The branch secretary sits in on the owners' committee's meetings: record "
                    "the secretary (or deputy secretary) of the compound's party branch as "
                    "SITTING_IN before holding it."
                ),
                reason=SECRETARY_NOT_SITTING_IN,
            )
        record.change("resolutions", None, _resolve(meeting, agenda, data, now))
        record.change("status", meeting.status, MeetingStatus.HELD)
        record.change("minutes", None, minutes)
        meeting.status, meeting.minutes, meeting.held_at = MeetingStatus.HELD, minutes, now
        bump(meeting)
        await session.flush()
        return meeting

    return await HOLD_COMPOUND_MEETING.on(
        ctx, data.meeting_id, apply, data=data, expected_version=data.expected_version
    )
