"""Per-request DataLoaders of compound meetings, their agenda, attendance and the items
about an issue."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import CompoundMeeting, CompoundMeetingAttendance, CompoundMeetingItem
from resolvers.context import RequestContext
from resolvers.deliberations import queries
from schema.common.dataloaders import by_id, cached, many


def meeting(ctx: RequestContext) -> DataLoader[int, CompoundMeeting | None]:
    return cached(ctx, "compound_meeting", lambda: DataLoader(by_id(ctx, queries.by_ids)))


def item(ctx: RequestContext) -> DataLoader[int, CompoundMeetingItem | None]:
    return cached(
        ctx, "compound_meeting_item", lambda: DataLoader(by_id(ctx, queries.items_by_ids))
    )


def agenda(ctx: RequestContext) -> DataLoader[int, list[CompoundMeetingItem]]:
    return cached(ctx, "compound_meeting:agenda", lambda: DataLoader(many(ctx, queries.agenda)))


def attendance(ctx: RequestContext) -> DataLoader[int, list[CompoundMeetingAttendance]]:
    return cached(
        ctx, "compound_meeting:attendance", lambda: DataLoader(many(ctx, queries.attendance))
    )


def deliberations(ctx: RequestContext) -> DataLoader[int, list[CompoundMeetingItem]]:
    return cached(
        ctx, "issue:deliberations", lambda: DataLoader(many(ctx, queries.deliberations_of))
    )
