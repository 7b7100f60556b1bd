"""Joint meetings (聯席會議): scheduling them and recording their decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    Issue,
    IssueEventKind,
    IssueStatus,
    JointMeeting,
    JointMeetingItem,
    JointMeetingParticipant,
    MeetingStatus,
    Organisation,
    OrganisationKind,
)
from db.paths import in_subtree
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import check_version, locked, scoped, visible_by_ids, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.i18n import coded, tr
from resolvers.issues import sla
from resolvers.issues.changes import add_event, change_issue, issue_action, move, taker
from resolvers.issues.commands import EscalateIssue
from resolvers.issues.lifecycle import IssueAction
from resolvers.kept_pages import ordered_page_query
from resolvers.mutations import CreateMutation, Mutation, Place, place
from resolvers.organisations.paths import path_of
from resolvers.outbox import EventKind
from resolvers.pagination import KeysetQuery, Ordering, Page, Window, read_page
from resolvers.text import clean_text
from resolvers.validation import aware_utc

RESOURCE = "meeting"
HOSTS = frozenset({OrganisationKind.COMPOUND, OrganisationKind.COMMUNITY})
MAX_PARTICIPANTS = 50
# Latest first.
ORDER = Ordering([col(JointMeeting.scheduled_for), col(JointMeeting.id)], descending=True)


@dataclass(frozen=True)
class ScheduleMeeting:
    organisation_id: int
    title: str
    scheduled_for: datetime
    location: str | None = None
    participant_ids: list[int] = field(default_factory=list)
    agenda_issue_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RecordDecision:
    meeting_id: int
    issue_id: int
    decision: str
    assignee_id: int | None = None
    minutes: str | None = None
    expected_version: int | None = None
    # The new deadline the meeting set; by default the SLA's allowed time from the decision.
    due_at: datetime | None = None


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, JointMeeting]:
    return await visible_by_ids(ctx, JointMeeting, RESOURCE, ids)


@dataclass(frozen=True)
class JointMeetingFilter:
    organisation_id: int | None = None


async def list_meetings(
    ctx: RequestContext, organisation_id: int | None, window: Window
) -> Page[JointMeeting]:
    """Meetings the caller may read, latest first."""
    query = await meetings_page_query(ctx, JointMeetingFilter(organisation_id), window)
    return await read_page(ctx, query, ORDER.key_of)


async def meetings_page_query(
    ctx: RequestContext, filter: JointMeetingFilter, window: Window
) -> KeysetQuery:
    """The statements of the caller's page of meetings (lists and compiled reads): scoped
    by the one read clause (no branches), as the list always was."""
    statement = scoped(ctx, JointMeeting, RESOURCE)
    if filter.organisation_id is not None:
        statement = statement.where(col(JointMeeting.organisation_id) == filter.organisation_id)
    return await ordered_page_query(
        ctx,
        RESOURCE,
        filter,
        statement,
        ORDER,
        window,
        branches=False,
    )


async def participants(ctx: RequestContext, meeting_ids: Sequence[int]) -> dict[int, list[int]]:
    # The two columns it answers with, not the participant entities.
    rows = await ctx.read(
        sa.select(
            col(JointMeetingParticipant.meeting_id), col(JointMeetingParticipant.organisation_id)
        ).where(col(JointMeetingParticipant.meeting_id).in_(set(meeting_ids)))
    )
    found: dict[int, list[int]] = {}
    for row in rows.all():
        found.setdefault(row.meeting_id, []).append(row.organisation_id)
    return found


async def agenda(
    ctx: RequestContext, meeting_ids: Sequence[int]
) -> dict[int, list[JointMeetingItem]]:
    rows: list[JointMeetingItem] = await read_whole(
        ctx.read,
        sa.select(JointMeetingItem)
        .where(col(JointMeetingItem.meeting_id).in_(set(meeting_ids)))
        .order_by(col(JointMeetingItem.issue_id)),
    )
    found: dict[int, list[JointMeetingItem]] = {}
    for row in rows:
        found.setdefault(row.meeting_id, []).append(row)
    return found


async def put_on_agenda(
    ctx: RequestContext, session: AsyncSession, meeting_id: int, issue: Issue
) -> None:
    """Add an escalated ISSUE to a scheduled meeting of its compound (or community)."""
    meeting = await visible_one(ctx, session, JointMeeting, RESOURCE, meeting_id, tr("meeting"))
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise BadUserInput(
            tr(
                "That meeting is {status}; put the issue on a scheduled one.",
                status=coded(meeting.status, english=meeting.status.value.lower()),
            )
        )
    host_path = await path_of(session, meeting.organisation_id) or "/"
    compound_path = await path_of(session, issue.compound_id) or "/"
    if not in_subtree(compound_path, host_path):
        raise BadUserInput(tr("The meeting must be held by the issue's compound or its community."))
    exists = await session.get(JointMeetingItem, (meeting.id, issue.id))
    if exists is None:
        session.add(JointMeetingItem(meeting_id=meeting.id or 0, issue_id=issue.id or 0))


async def _host_place(ctx: RequestContext, session: AsyncSession, host: Organisation) -> Place:
    if host.kind not in HOSTS:
        raise BadUserInput(tr("A joint meeting is held by a compound or a community."))
    return place(host.id, host.path)


SCHEDULE_JOINT_MEETING = CreateMutation(
    operation="scheduleJointMeeting",
    resource=RESOURCE,
    action="schedule",
    what=tr("schedule joint meetings here"),
    needs=" (the secretary)",
    model=Organisation,
    reads="organisation",
    noun=tr("organisation"),
    locate=_host_place,
    announces=EventKind.MEETING_SCHEDULED,
)
# The decision is recorded on the issue, with the permission of the meeting's host.
RECORD_MEETING_DECISION = Mutation(
    operation="recordMeetingDecision",
    resource=RESOURCE,
    action="decide",
    what=tr("record decisions of this meeting"),
    audited_as="issue",
    needs=" (the secretary)",
    announces=EventKind.MEETING_DECIDED,
)
ESCALATE_ISSUE = issue_action(
    "escalateIssue", "escalate", tr("escalate this issue"), announces=EventKind.ISSUE_ESCALATED
)


async def schedule_meeting(ctx: RequestContext, data: ScheduleMeeting) -> JointMeeting:
    async def apply(session: AsyncSession, host: Organisation, record: AuditRecord) -> JointMeeting:
        title = clean_text(data.title, tr("title"), required=True, limit=200) or ""
        scheduled_for = aware_utc(data.scheduled_for, tr("meeting time"))
        if len(set(data.participant_ids)) > MAX_PARTICIPANTS:
            raise BadUserInput(
                tr(
                    "Invite at most {MAX_PARTICIPANTS} organisations.",
                    MAX_PARTICIPANTS=MAX_PARTICIPANTS,
                )
            )
        meeting = JointMeeting(
            organisation_id=host.id or 0,
            title=title,
            scheduled_for=scheduled_for,
            location=clean_text(data.location, tr("location"), required=False, limit=200),
            convened_by_id=ctx.actor.person_id,
        )
        session.add(meeting)
        await session.flush()
        for organisation_id in sorted(set(data.participant_ids)):
            if await session.get(Organisation, organisation_id) is None:
                raise BadUserInput(
                    tr(
                        "No organisation {organisation_id} exists to invite.",
                        organisation_id=organisation_id,
                    )
                )
            session.add(
                JointMeetingParticipant(meeting_id=meeting.id or 0, organisation_id=organisation_id)
            )
        for issue_id in sorted(set(data.agenda_issue_ids)):
            issue = await visible_one(ctx, session, Issue, "issue", issue_id, tr("issue"))
            if issue.status is not IssueStatus.ESCALATED:
                raise BadUserInput(
                    tr(
                        "Only escalated issues go on the agenda; “{title}” is {status}.",
                        title=issue.title,
                        status=coded(issue.status),
                    )
                )
            await put_on_agenda(ctx, session, meeting.id or 0, issue)
        record.target(meeting.id, host.id, host.path)
        for name in ("organisation_id", "title", "scheduled_for", "location"):
            record.change(name, None, getattr(meeting, name))
        record.change("participants", None, sorted(set(data.participant_ids)))
        record.change("agenda", None, sorted(set(data.agenda_issue_ids)))
        await session.flush()
        return meeting

    return await SCHEDULE_JOINT_MEETING.under(ctx, data.organisation_id, apply, data=data)


async def record_decision(ctx: RequestContext, data: RecordDecision) -> Issue:
    """A decision on one agenda item: it moves the escalated issue back into work."""

    async def handler(session: AsyncSession, record: AuditRecord) -> Issue:
        meeting = await visible_one(
            ctx, session, JointMeeting, RESOURCE, data.meeting_id, tr("meeting")
        )
        host_path = await path_of(session, meeting.organisation_id) or "/"
        record.target(data.issue_id, meeting.organisation_id, host_path)
        RECORD_MEETING_DECISION.authorize(ctx, record, RowFacts(paths=(host_path,)))
        if meeting.status is MeetingStatus.CANCELLED:
            raise BadUserInput(tr("That meeting was cancelled; it takes no decisions."))
        item = await session.get(JointMeetingItem, (meeting.id, data.issue_id))
        if item is None:
            on_agenda = await session.scalar(
                sa.select(sa.func.count())
                .select_from(JointMeetingItem)
                .where(col(JointMeetingItem.meeting_id) == meeting.id)
            )
            if not on_agenda:
                raise BadUserInput(
                    tr(
                        "This meeting has nothing on its agenda: put an escalated issue on it, "
                        "or cancel it."
                    )
                )
            raise NotFound(tr("That issue is not on this meeting's agenda."))
        if item.decided_at is not None:
            raise Conflict(
                tr(
                    "A decision on this issue was already recorded at {decided_at} (China time).",
                    decided_at=item.decided_at,
                )
            )
        if meeting.scheduled_for > utcnow():
            raise BadUserInput(
                tr(
                    "The meeting takes place at {scheduled_for} (China time); its decisions are "
                    "recorded once it has met.",
                    scheduled_for=meeting.scheduled_for,
                )
            )
        issue = await locked(session, Issue, data.issue_id, tr("issue"))
        check_version(issue, data.expected_version, tr("issue"))
        if data.assignee_id is None and issue.assignee_organisation_id is None:
            raise BadUserInput(
                tr("Nobody holds this issue yet: name the assignee the meeting chose.")
            )
        decision = clean_text(data.decision, tr("decision"), required=True) or ""
        before = move(issue, IssueAction.DECIDE, record)
        if data.assignee_id is not None:
            organisation = await taker(session, ctx, data.assignee_id, issue)
            record.change(
                "assignee_organisation_id", issue.assignee_organisation_id, organisation.id
            )
            issue.assignee_organisation_id = organisation.id
        now = utcnow()
        new_due = decided_due_at(issue, data.due_at, now)
        record.change("due_at", issue.due_at, new_due)
        issue.due_at = new_due
        item.decision, item.decided_at, item.decided_by_id = decision, now, ctx.actor.person_id
        meeting.status = MeetingStatus.HELD
        meeting.version += 1
        meeting.updated_at = now
        minutes = clean_text(data.minutes, tr("minutes"), required=False, limit=20000)
        if minutes is not None:
            record.change("minutes", meeting.minutes, minutes)
            meeting.minutes = minutes
        record.change("decision", None, decision)
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.DECISION,
            body=decision,
            from_status=before,
            meeting_id=meeting.id,
            organisation_id=meeting.organisation_id,
        )
        issue.version += 1
        issue.updated_at = now
        await session.flush()
        return issue

    return await RECORD_MEETING_DECISION.run(ctx, data, handler)


def decided_due_at(issue: Issue, given: datetime | None, now: datetime) -> datetime:
    """The decided issue's new deadline: the one the meeting GIVEN, or the SLA's allowed time
    for its priority and category counted from the decision, so it is not left overdue against
    the deadline it was escalated past."""
    if given is None:
        return sla.due_at(now, issue.priority, issue.category)
    due = aware_utc(given, tr("due time"))
    if due <= now:
        raise BadUserInput(tr("The new due time must be after the decision."))
    return due


async def escalate_issue(ctx: RequestContext, data: EscalateIssue) -> Issue:
    """Take an open issue to a joint meeting, optionally onto a scheduled meeting's agenda."""

    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        reason = clean_text(data.reason, tr("reason"), required=True)
        before = move(issue, IssueAction.ESCALATE, record)
        if data.meeting_id is not None:
            await put_on_agenda(ctx, session, data.meeting_id, issue)
            record.change("meeting_id", None, data.meeting_id)
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.ESCALATION,
            body=reason,
            from_status=before,
            meeting_id=data.meeting_id,
        )

    return await change_issue(ctx, ESCALATE_ISSUE, data, apply)
