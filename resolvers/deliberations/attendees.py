"""Who a compound meeting's announcements reach (myNotifications): its attendees. They are
the members of its body today, the branch secretary (or deputy) for an owners' committee
meeting (they sit in), and anyone whose attendance is recorded; and only while they may read
the meeting (a resident recorded as present hears of it once it is HELD)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import col

from db.models import (
    CompoundMeeting,
    CompoundMeetingAttendance,
    CompoundMeetingKind,
    Position,
)
from policies.grants import active_on, compounds_led
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext
from resolvers.deliberations.places import RESOURCE


async def meetings_i_attend(ctx: RequestContext, ids: Sequence[int]) -> dict[int, CompoundMeeting]:
    visible = await visible_by_ids(ctx, CompoundMeeting, RESOURCE, ids)
    me = ctx.actor.person_id
    if not visible or me is None:
        return {}
    wanted = sorted(visible)
    recorded = sa.select(col(CompoundMeetingAttendance.meeting_id)).where(
        col(CompoundMeetingAttendance.meeting_id).in_(wanted),
        col(CompoundMeetingAttendance.person_id) == me,
    )
    mine = sa.select(col(Position.organisation_id)).where(
        col(Position.person_id) == me, active_on(ctx.today)
    )
    seated = sa.select(col(CompoundMeeting.id)).where(
        col(CompoundMeeting.id).in_(wanted),
        sa.or_(
            col(CompoundMeeting.id).in_(recorded),
            col(CompoundMeeting.body_id).in_(mine),
            sa.and_(
                col(CompoundMeeting.kind) == CompoundMeetingKind.COMMITTEE,
                col(CompoundMeeting.compound_id).in_(compounds_led(me, ctx.today)),
            ),
        ),
    )
    attending = {int(i) for i in (await ctx.read(seated)).scalars()}
    return {i: visible[i] for i in attending}
