"""What a myNotifications subscriber receives: the event, why it is theirs, and what it is
about as it now stands, read with the subscriber's own grants (masked fields stay masked)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry

from db.models import IssueStatus
from resolvers.notification_feed import Notification, Reason
from resolvers.outbox import EventKind
from schema.deliberations.types import CompoundMeetingType
from schema.disclosure.types import NoticeQuestionType, NoticeType
from schema.ids import encode_id
from schema.issues.meeting_types import JointMeetingType
from schema.issues.notice_types import EVENT_ID_TYPE
from schema.issues.types import IssueType
from schema.mobilisation.types import MobilisationType
from schema.tokens.types import ApiTokenType
from schema.webhooks.types import WebhookEndpointType

NotificationReasonEnum = strawberry.enum(
    Reason,
    name="NotificationReason",
    description="Why an event is addressed to you.",
)


@strawberry.type(description="Something that happened that concerns you.")
class MyNotification:
    id: strawberry.ID = strawberry.field(
        description="The event's id: pass it as `after` to resume from here after a reconnect."
    )
    kind: EventKind = strawberry.field(description="What happened.")
    reason: Reason = strawberry.field(description="Why it is addressed to you.")
    occurred_at: datetime = strawberry.field(description="When the change committed (UTC).")
    from_status: IssueStatus | None = strawberry.field(
        description="For an issue: its status before, when the change moved it."
    )
    to_status: IssueStatus | None = strawberry.field(
        description="For an issue: its status after, when the change moved it."
    )
    issue: IssueType | None = strawberry.field(
        description="The issue it is about, as it stands now and as you may see it."
    )
    meeting: JointMeetingType | None = strawberry.field(
        description="The joint meeting it is about (scheduled or decided), as you may see it."
    )
    compound_meeting: CompoundMeetingType | None = strawberry.field(
        description="The party branch's or owners' committee's meeting it is about (scheduled "
        "or held), as you may see it."
    )
    token: ApiTokenType | None = strawberry.field(
        description="Your token that is about to expire (token.expiring)."
    )
    webhook: WebhookEndpointType | None = strawberry.field(
        description="The webhook endpoint you registered that the dispatcher disabled after "
        "sustained failure (webhook.disabled)."
    )

    mobilisation: MobilisationType | None = strawberry.field(
        description="The mobilisation that calls on you (mobilisation.sent): acknowledge it and "
        "report back."
    )
    notice: NoticeType | None = strawberry.field(
        description="The notice published to the compound you live in (notice.published), "
        "once it is shown."
    )
    notice_question: NoticeQuestionType | None = strawberry.field(
        description="Your question on a notice, now answered (notice_question.answered)."
    )

    @classmethod
    def from_notification(cls, notification: Notification) -> Self:
        event = notification.event
        # Only an issue's event carries an issue's status (a meeting's or a mobilisation's
        # is its own).
        changes = event.payload.get("changes", {}) if event.resource_type == "issue" else {}
        status = changes.get("status") or {}
        before, after = status.get("before"), status.get("after")
        return cls(
            id=encode_id(EVENT_ID_TYPE, event.id or 0),
            kind=EventKind(event.kind),
            reason=notification.reason,
            occurred_at=event.occurred_at,
            from_status=None if before is None else IssueStatus(before),
            to_status=None if after is None else IssueStatus(after),
            issue=IssueType.from_row(notification.issue) if notification.issue else None,
            meeting=(
                JointMeetingType.from_row(notification.meeting) if notification.meeting else None
            ),
            compound_meeting=(
                CompoundMeetingType.from_row(notification.compound_meeting)
                if notification.compound_meeting
                else None
            ),
            token=ApiTokenType.from_row(notification.token) if notification.token else None,
            webhook=(
                WebhookEndpointType.from_row(notification.webhook) if notification.webhook else None
            ),
            mobilisation=(
                MobilisationType.from_row(notification.mobilisation)
                if notification.mobilisation
                else None
            ),
            notice=NoticeType.from_row(notification.notice) if notification.notice else None,
            notice_question=(
                NoticeQuestionType.from_row(notification.notice_question)
                if notification.notice_question
                else None
            ),
        )
