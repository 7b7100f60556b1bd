"""The JointMeeting node (聯席會議)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from db.models import JointMeeting, JointMeetingItem, MeetingStatus
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.issues import loaders
from schema.issues.types import IssueType
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType


@strawberry.type(description="An escalated issue on a meeting's agenda, and what was decided.")
class AgendaItem:
    decision: str | None = strawberry.field(description="The decision, once recorded.")
    decided_at: datetime | None = strawberry.field(description="When it was recorded.")
    _row: strawberry.Private[JointMeetingItem]

    @strawberry.field(description="The issue, if you may see it.")
    async def issue(self, info: Info) -> IssueType | None:
        row = await loaders.issue(info.context).load(self._row.issue_id)
        return IssueType.from_row(row) if row else None


@strawberry.type(
    name="JointMeeting",
    description="A joint meeting of a compound (or community) with its committees, the property "
    "firm, partner units and invited departments, for the issues the compound cannot solve "
    "alone. Readable in the host's subtree (permission meeting:read); scheduled, moved, "
    "cancelled and decided by the secretary (meeting:schedule, meeting:reschedule, "
    "meeting:cancel, meeting:edit_agenda, meeting:decide).",
)
class JointMeetingType(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="What the meeting is about.")
    scheduled_for: datetime = strawberry.field(description="When it takes place (UTC).")
    location: str | None = strawberry.field(description="Where.")
    status: MeetingStatus = strawberry.field(description="SCHEDULED, HELD or CANCELLED.")
    minutes: str | None = strawberry.field(description="The minutes, once recorded.")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[JointMeeting]
    audit_trail = audit_trail_field("meeting")

    @classmethod
    def from_row(cls, row: JointMeeting) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            title=row.title,
            scheduled_for=row.scheduled_for,
            location=row.location,
            status=row.status,
            minutes=row.minutes,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The compound or community holding it.")
    async def organisation(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.organisation_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Organisations taking part that you may see.")
    async def participants(self, info: Info) -> list[OrganisationType]:
        ids = await loaders.meeting_participants(info.context).load(self.id)
        rows = await organisations_loaders.organisation(info.context).load_many(ids)
        return [OrganisationType.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="The escalated issues on the agenda and their decisions.")
    async def agenda(self, info: Info) -> list[AgendaItem]:
        items = await loaders.meeting_agenda(info.context).load(self.id)
        return [AgendaItem(decision=i.decision, decided_at=i.decided_at, _row=i) for i in items]


register_node("meeting", JointMeetingType, loaders.meeting)
