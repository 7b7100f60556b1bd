"""The events addressed to the subscriber (myNotifications), read from the outbox by id.

Whom an event is for comes from what it carries: an issue's event reaches its reporter and
the person it is assigned to (as the issue stood after the change), a joint meeting's
schedule and decision reach the people who hold a position in its host or a participating
organisation (or one under it) today, a token's coming expiry reaches its owner, and an
endpoint the webhook dispatcher disabled reaches whoever registered it, and a mobilisation
reaches each person it called on (its recipient rows, fixed when it was sent). A compound
meeting's schedule and holding reach its attendees (resolvers/deliberations/attendees.py); a
notice published reaches the residents of its compound, and an answer on a notice reaches
whoever asked. Nobody hears of their own change. Each candidate is then checked against the
subscriber's grants as they are at delivery (the issue, meeting or token must be one they may read
now), so a resident of compound B never hears of compound A, and a position that ended
stops the meeting notices.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    ApiToken,
    CompoundMeeting,
    Issue,
    JointMeeting,
    JointMeetingParticipant,
    Mobilisation,
    MobilisationRecipient,
    Notice,
    NoticeQuestion,
    Organisation,
    OutboxEvent,
    WebhookEndpoint,
)
from db.paths import ids_on_path, in_subtree
from policies.grants import RESIDENT
from resolvers.common import visible_by_ids
from resolvers.deliberations.attendees import meetings_i_attend
from resolvers.issue_feed import last_event_id
from resolvers.live import LiveContext
from resolvers.live_feed import Batch, checked_in, follow
from resolvers.outbox import EventKind

BATCH = 100
MEETING_KINDS = (
    EventKind.MEETING_SCHEDULED.value,
    EventKind.MEETING_DECIDED.value,
    EventKind.COMPOUND_MEETING_SCHEDULED.value,
    EventKind.COMPOUND_MEETING_HELD.value,
)
COMPOUND_MEETING_KINDS = (
    EventKind.COMPOUND_MEETING_SCHEDULED.value,
    EventKind.COMPOUND_MEETING_HELD.value,
)
# Events whose payload names the one person they are for (person_id).
PERSONAL_KINDS = (EventKind.TOKEN_EXPIRING.value, EventKind.WEBHOOK_DISABLED.value)


class Reason(StrEnum):
    REPORTER = "reporter"  # you reported the issue
    ASSIGNEE = "assignee"  # the issue is assigned to you
    RECIPIENT = "recipient"  # a mobilisation calls on you
    PARTICIPANT = "participant"  # you sit in the meeting (host or participant organisation)
    TOKEN_OWNER = "token_owner"  # noqa: S105 (a reason, not a secret): your token
    WEBHOOK_OWNER = "webhook_owner"  # you registered the webhook endpoint
    ATTENDEE = "attendee"  # you attend the branch's or owners' committee's meeting
    RESIDENT = "resident"  # a notice published to the compound you live in
    ASKER = "asker"  # your question on a notice was answered


@dataclass(frozen=True)
class Notification:
    event: OutboxEvent
    reason: Reason
    issue: Issue | None = None
    meeting: JointMeeting | None = None
    token: ApiToken | None = None
    webhook: WebhookEndpoint | None = None
    compound_meeting: CompoundMeeting | None = None
    mobilisation: Mobilisation | None = None
    notice: Notice | None = None
    notice_question: NoticeQuestion | None = None


@dataclass
class Found:
    """The records a batch of events is about that the subscriber may read now, by kind."""

    issues: dict[int, Issue] = field(default_factory=dict)
    meetings: dict[int, JointMeeting] = field(default_factory=dict)
    compound_meetings: dict[int, CompoundMeeting] = field(default_factory=dict)
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    webhooks: dict[int, WebhookEndpoint] = field(default_factory=dict)
    calls: dict[int, Mobilisation] = field(default_factory=dict)
    notices: dict[int, Notice] = field(default_factory=dict)
    questions: dict[int, NoticeQuestion] = field(default_factory=dict)


async def my_notifications(
    ctx: LiveContext, after: int | None, *, poll_seconds: float
) -> AsyncIterator[Notification]:
    """Events for the signed-in person after AFTER (or from now), in order, forever."""
    await checked_in(ctx)
    with ctx.slots.hold(ctx.actor.token_id):
        last = after if after is not None else await last_event_id(ctx)

        async def read(since: int) -> Batch[Notification]:
            return await _read(ctx, since)

        async for notification in follow(ctx, read, last, poll_seconds=poll_seconds):
            yield notification


def _int(path: Any) -> sa.ColumnElement[int]:
    return sa.func.coalesce(path.as_integer(), 0)


def _home_compounds(ctx: LiveContext) -> list[int]:
    """The compounds the subscriber lives in (their residence grants)."""
    return [
        ids[-1]
        for grant in ctx.actor.grants
        if grant.role == RESIDENT and (ids := ids_on_path(grant.domain))
    ]


def _candidates(me: int, homes: list[int], last: int) -> Any:
    """Events that may be for ME, who lives in HOMES (narrowed further in _read), in id
    order."""
    payload: Any = col(OutboxEvent.payload)
    about_my_issue = sa.and_(
        col(OutboxEvent.resource_type) == "issue",
        sa.or_(
            _int(payload["issue"]["reporter_id"]) == me,
            _int(payload["issue"]["assignee_person_id"]) == me,
        ),
    )
    mine = sa.and_(
        col(OutboxEvent.kind).in_(PERSONAL_KINDS),
        _int(payload["person_id"]) == me,
    )
    calls_on_me = sa.and_(
        col(OutboxEvent.kind) == EventKind.MOBILISATION_SENT.value,
        sa.exists().where(
            sa.cast(col(MobilisationRecipient.mobilisation_id), sa.String)
            == col(OutboxEvent.resource_id),
            col(MobilisationRecipient.person_id) == me,
        ),
    )
    published_at_home = sa.and_(
        col(OutboxEvent.kind) == EventKind.NOTICE_PUBLISHED.value,
        col(OutboxEvent.compound_id).in_(homes),
    )
    answered_me = sa.and_(
        col(OutboxEvent.kind) == EventKind.NOTICE_QUESTION_ANSWERED.value,
        sa.exists().where(
            sa.cast(col(NoticeQuestion.id), sa.String) == col(OutboxEvent.resource_id),
            col(NoticeQuestion.asker_id) == me,
        ),
    )
    return (
        sa.select(OutboxEvent)
        .where(
            col(OutboxEvent.id) > last,
            sa.or_(
                about_my_issue,
                mine,
                calls_on_me,
                published_at_home,
                answered_me,
                col(OutboxEvent.kind).in_(MEETING_KINDS),
            ),
            _int(payload["actor"]["person_id"]) != me,  # not my own change
        )
        .order_by(col(OutboxEvent.id))
        .limit(BATCH)
    )


def _meeting_id(event: OutboxEvent) -> int | None:
    if event.resource_type == "meeting":
        found_id = event.resource_id or ""
        return int(found_id) if found_id.isdigit() else None
    if event.kind == EventKind.MEETING_DECIDED.value:
        ids = event.payload.get("ids", {})
        found = ids.get("meeting_id", ids.get("meetingId"))
        return found if isinstance(found, int) else None
    return None


def _issue_id(event: OutboxEvent) -> int | None:
    if event.resource_type != "issue" or not (event.resource_id or "").isdigit():
        return None
    return int(event.resource_id or 0)


def _ids_of(events: Sequence[OutboxEvent], *kinds: str) -> list[int]:
    return [
        int(e.resource_id or 0)
        for e in events
        if e.kind in kinds and (e.resource_id or "").isdigit()
    ]


async def _found(ctx: LiveContext, events: Sequence[OutboxEvent]) -> Found:
    """What EVENTS are about, each kind read through the subscriber's grants as they are now
    (an event that passed _candidates must still be about a record they may read)."""
    kinds = EventKind
    return Found(
        issues=await visible_by_ids(
            ctx, Issue, "issue", [i for e in events if (i := _issue_id(e)) is not None]
        ),
        meetings=await _meetings_i_sit_in(
            ctx, [m for e in events if (m := _meeting_id(e)) is not None]
        ),
        compound_meetings=await meetings_i_attend(ctx, _ids_of(events, *COMPOUND_MEETING_KINDS)),
        tokens=await visible_by_ids(
            ctx, ApiToken, "token", _ids_of(events, kinds.TOKEN_EXPIRING.value)
        ),
        webhooks=await visible_by_ids(
            ctx, WebhookEndpoint, "webhook", _ids_of(events, kinds.WEBHOOK_DISABLED.value)
        ),
        calls=await visible_by_ids(
            ctx, Mobilisation, "mobilisation", _ids_of(events, kinds.MOBILISATION_SENT.value)
        ),
        notices=await visible_by_ids(
            ctx, Notice, "notice", _ids_of(events, kinds.NOTICE_PUBLISHED.value)
        ),
        questions=await visible_by_ids(
            ctx,
            NoticeQuestion,
            "notice_question",
            _ids_of(events, kinds.NOTICE_QUESTION_ANSWERED.value),
        ),
    )


async def _read(ctx: LiveContext, last: int) -> Batch[Notification]:
    me = ctx.actor.person_id or 0
    candidates = _candidates(me, _home_compounds(ctx), last)
    events: list[OutboxEvent] = await read_whole(ctx.read, candidates)
    if not events:
        return Batch(last, [], more=False)
    found = await _found(ctx, events)
    addressed = [n for e in events if (n := _addressed(e, me, found)) is not None]
    return Batch(events[-1].id or last, addressed, more=len(events) == BATCH)


def _addressed(event: OutboxEvent, me: int, found: Found) -> Notification | None:
    record_id = int(event.resource_id or 0) if (event.resource_id or "").isdigit() else 0
    if event.kind in COMPOUND_MEETING_KINDS:
        held = found.compound_meetings.get(record_id)
        return None if held is None else Notification(event, Reason.ATTENDEE, compound_meeting=held)
    if event.kind == EventKind.MOBILISATION_SENT.value:
        call = found.calls.get(record_id)
        return None if call is None else Notification(event, Reason.RECIPIENT, mobilisation=call)
    if event.kind == EventKind.NOTICE_PUBLISHED.value:
        notice = found.notices.get(record_id)
        return None if notice is None else Notification(event, Reason.RESIDENT, notice=notice)
    if event.kind == EventKind.NOTICE_QUESTION_ANSWERED.value:
        question = found.questions.get(record_id)
        if question is None or question.asker_id != me:
            return None
        return Notification(event, Reason.ASKER, notice_question=question)
    if event.kind == EventKind.WEBHOOK_DISABLED.value:
        webhook = found.webhooks.get(record_id)
        if webhook is None or webhook.created_by_id != me:
            return None
        return Notification(event, Reason.WEBHOOK_OWNER, webhook=webhook)
    if event.kind == EventKind.TOKEN_EXPIRING.value:
        token = found.tokens.get(record_id)
        if token is None or token.person_id != me:
            return None
        return Notification(event, Reason.TOKEN_OWNER, token=token)
    issue = found.issues.get(_issue_id(event) or 0)
    meeting = found.meetings.get(_meeting_id(event) or 0)
    carried = event.payload.get("issue") or {}
    if issue is not None and carried.get("reporter_id") == me:
        return Notification(event, Reason.REPORTER, issue=issue, meeting=meeting)
    if issue is not None and carried.get("assignee_person_id") == me:
        return Notification(event, Reason.ASSIGNEE, issue=issue, meeting=meeting)
    if meeting is not None:
        return Notification(event, Reason.PARTICIPANT, issue=issue, meeting=meeting)
    return None


async def _meetings_i_sit_in(ctx: LiveContext, ids: Sequence[int]) -> dict[int, JointMeeting]:
    """The meetings among IDS the caller may read and sits in today: they hold a position in
    the host or a participating organisation, or in one under it (the compound's branch or
    committees under the host compound, a department's office under the department)."""
    visible = await visible_by_ids(ctx, JointMeeting, "meeting", ids)
    member_of = ctx.actor.member_of
    if not visible or not member_of:
        return {}
    hosts: Any = sa.select(
        col(JointMeeting.id).label("meeting_id"), col(JointMeeting.organisation_id)
    ).where(col(JointMeeting.id).in_(visible))
    guests: Any = sa.select(
        col(JointMeetingParticipant.meeting_id), col(JointMeetingParticipant.organisation_id)
    ).where(col(JointMeetingParticipant.meeting_id).in_(visible))
    seats = sa.union_all(hosts, guests).subquery()
    rows = await ctx.read(
        sa.select(seats.c.meeting_id, col(Organisation.path)).join(
            Organisation, col(Organisation.id) == seats.c.organisation_id
        )
    )
    seated: list[Any] = list(rows.all())
    sitting = {
        int(meeting_id)
        for meeting_id, seat in seated
        if seat is not None and any(in_subtree(mine, seat) for mine in member_of)
    }
    return {mid: visible[mid] for mid in sitting}
