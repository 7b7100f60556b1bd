"""Compound meetings, the reads: meetings scoped in SQL (compound_meeting:read: a resident
sees a meeting once HELD, a body's members their own drafts), their agenda and attendance,
and the deliberations that cover an issue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    CompoundMeeting,
    CompoundMeetingAttendance,
    CompoundMeetingItem,
    CompoundMeetingKind,
    MeetingStatus,
)
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext
from resolvers.deliberations.places import RESOURCE
from resolvers.kept_pages import ordered_page_query
from resolvers.pagination import KeysetQuery, Ordering, Page, Window, read_page


@dataclass(frozen=True)
class CompoundMeetingFilter:
    compound_id: int | None = None
    kind: CompoundMeetingKind | None = None
    status: MeetingStatus | None = None


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, CompoundMeeting]:
    return await visible_by_ids(ctx, CompoundMeeting, RESOURCE, ids)


async def list_meetings(
    ctx: RequestContext, filter: CompoundMeetingFilter, window: Window
) -> Page[CompoundMeeting]:
    """Meetings the caller may read, latest first."""
    query = await meetings_page_query(ctx, filter, window)
    return await read_page(ctx, query, lambda m: (m.scheduled_for, m.id))


async def meetings_page_query(
    ctx: RequestContext, filter: CompoundMeetingFilter, window: Window
) -> KeysetQuery:
    """The statements of the caller's page of meetings (lists and compiled reads)."""
    statement = sa.select(CompoundMeeting)
    if filter.compound_id is not None:
        statement = statement.where(col(CompoundMeeting.compound_id) == filter.compound_id)
    if filter.kind is not None:
        statement = statement.where(col(CompoundMeeting.kind) == filter.kind)
    if filter.status is not None:
        statement = statement.where(col(CompoundMeeting.status) == filter.status)

    return await ordered_page_query(
        ctx,
        RESOURCE,
        filter,
        statement,
        Ordering([col(CompoundMeeting.scheduled_for), col(CompoundMeeting.id)], descending=True),
        window,
    )


async def agenda(
    ctx: RequestContext, meeting_ids: Sequence[int]
) -> dict[int, list[CompoundMeetingItem]]:
    """The agenda items of meetings the caller already may see, in the order they were put."""
    rows: list[CompoundMeetingItem] = await read_whole(
        ctx.read,
        sa.select(CompoundMeetingItem)
        .where(col(CompoundMeetingItem.meeting_id).in_(set(meeting_ids)))
        .order_by(col(CompoundMeetingItem.id)),
    )
    found: dict[int, list[CompoundMeetingItem]] = {}
    for row in rows:
        found.setdefault(row.meeting_id, []).append(row)
    return found


async def attendance(
    ctx: RequestContext, meeting_ids: Sequence[int]
) -> dict[int, list[CompoundMeetingAttendance]]:
    rows: list[CompoundMeetingAttendance] = await read_whole(
        ctx.read,
        sa.select(CompoundMeetingAttendance)
        .where(col(CompoundMeetingAttendance.meeting_id).in_(set(meeting_ids)))
        .order_by(col(CompoundMeetingAttendance.person_id)),
    )
    found: dict[int, list[CompoundMeetingAttendance]] = {}
    for row in rows:
        found.setdefault(row.meeting_id, []).append(row)
    return found


async def items_by_ids(ctx: RequestContext, ids: Sequence[int]) -> dict[int, CompoundMeetingItem]:
    """Items among IDS of meetings the caller may read (a committee item's branch item)."""
    if not ids:
        return {}
    scope = ctx.auth.decide(RESOURCE, "read").where()
    rows: list[CompoundMeetingItem] = await read_whole(
        ctx.read,
        sa.select(CompoundMeetingItem)
        .join(CompoundMeeting, col(CompoundMeeting.id) == col(CompoundMeetingItem.meeting_id))
        .where(scope, col(CompoundMeetingItem.id).in_(set(ids))),
    )
    return {row.id or 0: row for row in rows}


async def deliberations_of(
    ctx: RequestContext, issue_ids: Sequence[int]
) -> dict[int, list[CompoundMeetingItem]]:
    """The agenda items about each issue, of meetings the caller may read (scoped in SQL)."""
    scope = ctx.auth.decide(RESOURCE, "read").where()
    rows: list[CompoundMeetingItem] = await read_whole(
        ctx.read,
        sa.select(CompoundMeetingItem)
        .join(CompoundMeeting, col(CompoundMeeting.id) == col(CompoundMeetingItem.meeting_id))
        .where(scope, col(CompoundMeetingItem.issue_id).in_(set(issue_ids)))
        .order_by(col(CompoundMeetingItem.id)),
    )
    found: dict[int, list[CompoundMeetingItem]] = {}
    for row in rows:
        found.setdefault(row.issue_id or 0, []).append(row)
    return found
