"""Scheduling and cancelling a compound meeting: a meeting of the compound's party branch
(BRANCH) or of its owners' committee (COMMITTEE), convened by a member of that body. A joint
branch (聯合黨支部) holds its BRANCH meetings for one compound it serves at a time, named on
scheduling, so that compound's matters and branch-first rule work as for its own branch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CompoundMeeting, MeetingStatus, Organisation
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.deliberations.agenda import MAX_ITEMS, AgendaEntry, put_on_agenda, record_item
from resolvers.deliberations.places import (
    RESOURCE,
    body_place,
    kind_of,
    meeting_place,
    still_scheduled,
)
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.mutations import CreateMutation, RowMutation, bump
from resolvers.organisations.bodies import compound_for
from resolvers.outbox import EventKind
from resolvers.text import clean_text
from resolvers.validation import aware_utc

REASON_LIMIT = 2_000


@dataclass(frozen=True)
class ScheduleCompoundMeeting:
    body_id: int
    title: str
    scheduled_for: datetime
    location: str | None = None
    agenda: list[AgendaEntry] = field(default_factory=list)
    # The compound it is for: a joint branch's must name one it serves.
    compound_id: int | None = None


@dataclass(frozen=True)
class CancelCompoundMeeting:
    meeting_id: int
    reason: str
    expected_version: int | None = None


SCHEDULE_COMPOUND_MEETING = CreateMutation(
    operation="scheduleCompoundMeeting",
    resource=RESOURCE,
    action="schedule",
    what=tr("schedule meetings of this body"),
    needs=" (a member of the compound's party branch for a BRANCH meeting, of its owners' "
    "committee for a COMMITTEE meeting)",
    model=Organisation,
    reads="organisation",
    noun=tr("party branch or owners' committee"),
    locate=body_place,
    announces=EventKind.COMPOUND_MEETING_SCHEDULED,
)
CANCEL_COMPOUND_MEETING = RowMutation(
    operation="cancelCompoundMeeting",
    resource=RESOURCE,
    action="cancel",
    what=tr("cancel this meeting"),
    needs=" (a member of the meeting's body), on a SCHEDULED meeting",
    model=CompoundMeeting,
    noun=tr("meeting"),
    locate=meeting_place,
    checks_version=True,
    guard=still_scheduled,
)


async def schedule_meeting(ctx: RequestContext, data: ScheduleCompoundMeeting) -> CompoundMeeting:
    async def apply(
        session: AsyncSession, body: Organisation, record: AuditRecord
    ) -> CompoundMeeting:
        title = clean_text(data.title, tr("title"), required=True, limit=200) or ""
        if len(data.agenda) > MAX_ITEMS:
            raise BadUserInput(tr("A meeting takes at most {most} matters.", most=MAX_ITEMS))
        meeting = CompoundMeeting(
            compound_id=await compound_for(session, body, data.compound_id, record),
            body_id=body.id or 0,
            kind=kind_of(body),
            title=title,
            scheduled_for=aware_utc(data.scheduled_for, tr("meeting time")),
            location=clean_text(data.location, tr("location"), required=False, limit=200),
            convened_by_id=ctx.actor.person_id,
        )
        session.add(meeting)
        await session.flush()
        record.made(meeting.id)
        for name in ("compound_id", "body_id", "kind", "title", "scheduled_for", "location"):
            record.change(name, None, getattr(meeting, name))
        for entry in data.agenda:
            record_item(record, await put_on_agenda(ctx, session, meeting, entry))
        return meeting

    return await SCHEDULE_COMPOUND_MEETING.under(ctx, data.body_id, apply, data=data)


async def cancel_meeting(ctx: RequestContext, data: CancelCompoundMeeting) -> CompoundMeeting:
    async def apply(
        session: AsyncSession, meeting: CompoundMeeting, record: AuditRecord
    ) -> CompoundMeeting:
        reason = clean_text(data.reason, tr("reason"), required=True, limit=REASON_LIMIT)
        record.change("status", meeting.status, MeetingStatus.CANCELLED)
        record.change("reason", None, reason)
        meeting.status = MeetingStatus.CANCELLED
        meeting.cancel_reason = reason
        bump(meeting)
        await session.flush()
        return meeting

    return await CANCEL_COMPOUND_MEETING.on(
        ctx, data.meeting_id, apply, data=data, expected_version=data.expected_version
    )
