"""Changing a joint meeting before it is held: cancelling it, moving it, taking an issue off
its agenda.

Only a SCHEDULED meeting changes here: once its first decision is recorded it is HELD and its
record stands. A meeting left with nothing to decide (its issues solved or taken off) is
cancelled, as a street office would call it off, rather than held empty; the issues of a
cancelled meeting stay ESCALATED and go on another meeting's agenda.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import JointMeeting, JointMeetingItem, MeetingStatus
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, NotFound
from resolvers.i18n import Text, coded, tr
from resolvers.mutations import Place, RowMutation, bump, place
from resolvers.organisations.paths import path_of
from resolvers.text import clean_text
from resolvers.validation import aware_utc

RESOURCE = "meeting"
# A change to the locked meeting, audited on RECORD.
Change = Callable[[AsyncSession, JointMeeting, AuditRecord], Awaitable[None]]


@dataclass(frozen=True)
class CancelMeeting:
    meeting_id: int
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class RescheduleMeeting:
    meeting_id: int
    scheduled_for: datetime
    expected_version: int | None = None


@dataclass(frozen=True)
class RemoveAgendaItem:
    meeting_id: int
    issue_id: int


async def _host(ctx: RequestContext, session: AsyncSession, meeting: JointMeeting) -> Place:
    """A meeting lies at its host's path."""
    return place(meeting.organisation_id, await path_of(session, meeting.organisation_id) or "/")


def _still_scheduled(ctx: RequestContext, meeting: JointMeeting) -> None:
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise BadUserInput(
            tr(
                "That meeting is {status}; only a scheduled meeting changes.",
                status=coded(meeting.status, english=meeting.status.value.lower()),
            )
        )


def _meeting_change(
    operation: str, action: str, what: Text, versioned: bool
) -> RowMutation[JointMeeting]:
    return RowMutation(
        operation=operation,
        resource=RESOURCE,
        action=action,
        what=what,
        needs=" (the secretary), on a SCHEDULED meeting",
        model=JointMeeting,
        noun=tr("meeting"),
        locate=_host,
        checks_version=versioned,
        guard=_still_scheduled,
    )


CANCEL_JOINT_MEETING = _meeting_change(
    "cancelJointMeeting", "cancel", tr("cancel this meeting"), versioned=True
)
RESCHEDULE_JOINT_MEETING = _meeting_change(
    "rescheduleJointMeeting", "reschedule", tr("reschedule this meeting"), versioned=True
)
REMOVE_MEETING_AGENDA_ITEM = _meeting_change(
    "removeMeetingAgendaItem", "edit_agenda", tr("change this meeting's agenda"), versioned=False
)


async def cancel_meeting(ctx: RequestContext, data: CancelMeeting) -> JointMeeting:
    async def apply(session: AsyncSession, meeting: JointMeeting, record: AuditRecord) -> None:
        reason = clean_text(data.reason, tr("reason"), required=True)
        record.change("status", meeting.status, MeetingStatus.CANCELLED)
        record.change("reason", None, reason)
        meeting.status = MeetingStatus.CANCELLED
        bump(meeting)

    return await _changed(
        ctx, CANCEL_JOINT_MEETING, data.meeting_id, apply, data, data.expected_version
    )


async def reschedule_meeting(ctx: RequestContext, data: RescheduleMeeting) -> JointMeeting:
    async def apply(session: AsyncSession, meeting: JointMeeting, record: AuditRecord) -> None:
        scheduled_for = aware_utc(data.scheduled_for, tr("meeting time"))
        if scheduled_for == meeting.scheduled_for:
            raise BadUserInput(tr("The meeting is already at that time."))
        record.change("scheduled_for", meeting.scheduled_for, scheduled_for)
        meeting.scheduled_for = scheduled_for
        bump(meeting)

    return await _changed(
        ctx, RESCHEDULE_JOINT_MEETING, data.meeting_id, apply, data, data.expected_version
    )


async def remove_agenda_item(ctx: RequestContext, data: RemoveAgendaItem) -> JointMeeting:
    """Take an issue off a scheduled meeting's agenda; the issue stays ESCALATED."""

    async def apply(session: AsyncSession, meeting: JointMeeting, record: AuditRecord) -> None:
        item = await session.get(JointMeetingItem, (meeting.id, data.issue_id))
        if item is None:
            raise NotFound(tr("That issue is not on this meeting's agenda."))
        before = await _agenda_ids(session, meeting.id or 0)
        await session.delete(item)
        record.change("agenda", before, [i for i in before if i != data.issue_id])
        bump(meeting)

    return await _changed(ctx, REMOVE_MEETING_AGENDA_ITEM, data.meeting_id, apply, data, None)


async def _changed(
    ctx: RequestContext,
    declared: RowMutation[JointMeeting],
    meeting_id: int,
    apply: Change,
    data: object,
    expected_version: int | None,
) -> JointMeeting:
    """Run DECLARED's change APPLY on the meeting and answer the meeting as it now is."""

    async def change(
        session: AsyncSession, meeting: JointMeeting, record: AuditRecord
    ) -> JointMeeting:
        await apply(session, meeting, record)
        await session.flush()
        return meeting

    return await declared.on(ctx, meeting_id, change, data=data, expected_version=expected_version)


async def _agenda_ids(session: AsyncSession, meeting_id: int) -> list[int]:
    rows = await session.execute(
        sa.select(col(JointMeetingItem.issue_id))
        .where(col(JointMeetingItem.meeting_id) == meeting_id)
        .order_by(col(JointMeetingItem.issue_id))
    )
    return [int(i) for i in rows.scalars()]
