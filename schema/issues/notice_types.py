"""What an issueEvents subscriber receives: the event, and the issue as it now stands, read
with the subscriber's own grants (so masked fields stay masked)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from db.models import IssueStatus
from resolvers.issue_feed import Delivery
from resolvers.outbox import EventKind
from schema.ids import encode_id
from schema.issues.types import IssueType

EVENT_ID_TYPE = "Event"

EventKindEnum = strawberry.enum(
    EventKind,
    name="EventKind",
    description="What happened, as announced on the outbox in the transaction of the change.",
)


@strawberry.input(description="Which issue events to receive; every one given must match.")
class IssueEventsFilter:
    compound: strawberry.ID | None = strawberry.field(
        default=None, description="Only events of issues of this compound."
    )
    issue: strawberry.ID | None = strawberry.field(
        default=None, description="Only events of this issue."
    )
    kinds: list[EventKind] | None = strawberry.field(
        default=None, description="Only these kinds (kinds not about an issue never match)."
    )


@strawberry.type(description="Something that happened to an issue you may read.")
class IssueNotice:
    id: strawberry.ID = strawberry.field(
        description="The event's id: pass it as `after` to resume from here after a reconnect."
    )
    kind: EventKind = strawberry.field(description="What happened.")
    occurred_at: datetime = strawberry.field(description="When the change committed (UTC).")
    from_status: IssueStatus | None = strawberry.field(
        description="The status before, when the change moved it."
    )
    to_status: IssueStatus | None = strawberry.field(
        description="The status after, when the change moved it."
    )
    issue: IssueType = strawberry.field(
        description="The issue as it stands now, as you may see it."
    )

    @classmethod
    def from_delivery(cls, delivery: Delivery) -> Self:
        event = delivery.event
        status = event.payload.get("changes", {}).get("status") or {}
        before, after = status.get("before"), status.get("after")
        return cls(
            id=encode_id(EVENT_ID_TYPE, event.id or 0),
            kind=EventKind(event.kind),
            occurred_at=event.occurred_at,
            from_status=None if before is None else IssueStatus(before),
            to_status=None if after is None else IssueStatus(after),
            issue=IssueType.from_row(delivery.issue),
        )
