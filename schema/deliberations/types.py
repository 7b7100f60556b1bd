"""The CompoundMeeting node (a party branch's or owners' committee's meeting), its agenda
items with their resolutions, and its attendance."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

import schema.deliberations.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import (
    AttendanceStatus,
    CompoundMeeting,
    CompoundMeetingAttendance,
    CompoundMeetingItem,
    CompoundMeetingKind,
    MeetingStatus,
    ResolutionOutcome,
)
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.deliberations import loaders
from schema.issues import loaders as issues_loaders
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people.loaded import visible_person
from schema.people.types import PersonType

if TYPE_CHECKING:
    from schema.issues.types import IssueType

IssueRef = Annotated["IssueType", strawberry.lazy("schema.issues.types")]

READERS = (
    "Readable by the compound's residents once HELD (its minutes and resolutions are "
    "disclosed), by the members of its body also while scheduled or cancelled, by the branch's "
    "secretary and deputy always (they sit in on the committee's, 列席), and by supervisors "
    "always (compound_meeting:read)."
)


@strawberry.type(
    name="CompoundMeetingItem",
    description="A matter on a compound meeting's agenda (perhaps about an issue) and the "
    "meeting's resolution on it. On an owners' committee meeting it rests on the party "
    f"branch's resolved item (branchItem). {READERS}",
)
class CompoundMeetingItemType(relay.Node):
    id: relay.NodeID[int]
    matter: str = strawberry.field(description="What is to be deliberated.")
    outcome: ResolutionOutcome | None = strawberry.field(
        description="ADOPTED, REJECTED or DEFERRED, once the meeting is held."
    )
    resolution: str | None = strawberry.field(description="The resolution's words, if any.")
    votes_for: int | None = strawberry.field(description="Votes for (the committee votes).")
    votes_against: int | None = strawberry.field(description="Votes against.")
    votes_abstain: int | None = strawberry.field(description="Abstentions.")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved (UTC).")
    _row: strawberry.Private[CompoundMeetingItem]

    @classmethod
    def from_row(cls, row: CompoundMeetingItem) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            matter=row.matter,
            outcome=row.outcome,
            resolution=row.resolution,
            votes_for=row.votes_for,
            votes_against=row.votes_against,
            votes_abstain=row.votes_abstain,
            resolved_at=row.resolved_at,
            _row=row,
        )

    @strawberry.field(description="The issue it is about, if any and if you may see it.")
    async def issue(self, info: Info) -> IssueRef | None:
        from schema.issues.types import IssueType

        if self._row.issue_id is None:
            return None
        row = await issues_loaders.issue(info.context).load(self._row.issue_id)
        return IssueType.from_row(row) if row else None

    @strawberry.field(description="The meeting whose agenda it is on.")
    async def meeting(self, info: Info) -> CompoundMeetingType | None:
        row = await loaders.meeting(info.context).load(self._row.meeting_id)
        return CompoundMeetingType.from_row(row) if row else None

    @strawberry.field(
        description="On an owners' committee meeting: the party branch's resolved item this "
        "matter was deliberated in first, if you may see it."
    )
    async def branch_item(self, info: Info) -> CompoundMeetingItemType | None:
        if self._row.branch_item_id is None:
            return None
        row = await loaders.item(info.context).load(self._row.branch_item_id)
        return CompoundMeetingItemType.from_row(row) if row else None


@strawberry.type(
    name="CompoundMeetingAttendance",
    description="One person's attendance at a compound meeting, and in what role.",
)
class CompoundMeetingAttendanceType:
    status: AttendanceStatus = strawberry.field(description="PRESENT, ABSENT or SITTING_IN.")
    role: str = strawberry.field(
        description="In what role (by default their position's title in the compound)."
    )
    recorded_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    _row: strawberry.Private[CompoundMeetingAttendance]

    @strawberry.field(description="The person, if you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.person_id)


@strawberry.type(
    name="CompoundMeeting",
    description="A meeting of a compound's party branch (BRANCH) or owners' committee "
    "(COMMITTEE). The branch deliberates a matter first (小區黨支部先議): a COMMITTEE meeting "
    "takes a matter only once a held BRANCH meeting resolved it (ADOPTED or REJECTED), and is "
    "held only with the branch secretary's attendance (列席) recorded. Scheduled, changed, "
    "held and cancelled by a member of its body (compound_meeting:schedule, edit_agenda, "
    f"record_attendance, hold, cancel). {READERS}",
)
class CompoundMeetingType(relay.Node):
    id: relay.NodeID[int]
    kind: CompoundMeetingKind = strawberry.field(description="BRANCH or COMMITTEE.")
    title: str = strawberry.field(description="What the meeting is about.")
    scheduled_for: datetime = strawberry.field(description="When it takes place (UTC).")
    location: str | None = strawberry.field(description="Where.")
    status: MeetingStatus = strawberry.field(description="SCHEDULED, HELD or CANCELLED.")
    minutes: str | None = strawberry.field(description="The minutes, once held.")
    held_at: datetime | None = strawberry.field(description="When it was recorded as held.")
    cancel_reason: str | None = strawberry.field(description="Why it was called off.")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[CompoundMeeting]
    audit_trail = audit_trail_field("compound_meeting")

    @classmethod
    def from_row(cls, row: CompoundMeeting) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            title=row.title,
            scheduled_for=row.scheduled_for,
            location=row.location,
            status=row.status,
            minutes=row.minutes,
            held_at=row.held_at,
            cancel_reason=row.cancel_reason,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The compound.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The body meeting: its PARTY_BRANCH or OWNERS_COMMITTEE.")
    async def body(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.body_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Who convened it, if you may see them.")
    async def convened_by(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.convened_by_id)

    @strawberry.field(description="The matters on the agenda, in the order they were put.")
    async def agenda(self, info: Info) -> list[CompoundMeetingItemType]:
        rows = await loaders.agenda(info.context).load(self.id)
        return [CompoundMeetingItemType.from_row(row) for row in rows]

    @strawberry.field(description="Who was present, absent or sitting in.")
    async def attendance(self, info: Info) -> list[CompoundMeetingAttendanceType]:
        rows = await loaders.attendance(info.context).load(self.id)
        return [
            CompoundMeetingAttendanceType(
                status=r.status, role=r.role, recorded_at=r.recorded_at, _row=r
            )
            for r in rows
        ]


register_node("compound_meeting", CompoundMeetingType, loaders.meeting)
register_node("compound_meeting_item", CompoundMeetingItemType, loaders.item)
