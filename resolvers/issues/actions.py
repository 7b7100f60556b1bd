"""Changing issues: every action is one audited mutation that moves the state machine,
appends to the timeline, and refuses a stale version."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    PRIORITY_RANK,
    Issue,
    IssueCategory,
    IssueChannel,
    IssueEvent,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    Person,
    Position,
)
from db.paths import in_subtree
from db.types import utcnow
from policies.conditions import RowFacts
from policies.grants import active_on, link_active_on
from resolvers.audited import AuditRecord, run_mutation
from resolvers.common import check_version, for_own_partner, locked, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.issues.lifecycle import IssueAction, transition
from resolvers.issues.sla import due_at

RESOURCE = "issue"
MAX_TEXT = 2000
# Bodies from outside a compound that may take on its issues.
OUTSIDE_HELPERS = frozenset(
    {
        OrganisationKind.DEPARTMENT,
        OrganisationKind.SOCIAL_ORGANISATION,
        OrganisationKind.VOLUNTEER_TEAM,
    }
)


@dataclass(frozen=True)
class ReportIssue:
    compound_id: int
    channel: IssueChannel
    category: IssueCategory
    title: str
    description: str = ""
    priority: IssuePriority = IssuePriority.NORMAL
    building_id: int | None = None
    reporter_id: int | None = None
    attachment_url: str | None = None


@dataclass(frozen=True)
class IssueChange:
    """The fields every action on an existing issue shares."""

    id: int
    expected_version: int | None = None


@dataclass(frozen=True)
class ClaimIssue(IssueChange):
    organisation_id: int = 0


@dataclass(frozen=True)
class AssignIssue(IssueChange):
    organisation_id: int = 0
    person_id: int | None = None


@dataclass(frozen=True)
class NoteIssue(IssueChange):
    """start / resolve / reject / escalate: an action with an optional or required note."""

    note: str | None = None


@dataclass(frozen=True)
class ConfirmIssue(IssueChange):
    accept: bool = True
    satisfaction: int | None = None
    comment: str | None = None


@dataclass(frozen=True)
class MarkDuplicate(IssueChange):
    original_id: int = 0


@dataclass(frozen=True)
class CommentOnIssue(IssueChange):
    body: str | None = None
    attachment_url: str | None = None


@dataclass(frozen=True)
class EscalateIssue(IssueChange):
    reason: str = ""
    meeting_id: int | None = None


def clean_text(
    value: str | None, what: str, *, required: bool, limit: int = MAX_TEXT
) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise BadUserInput(f"The {what} must not be empty.")
        return None
    if len(text) > limit:
        raise BadUserInput(f"The {what} must be at most {limit} characters.")
    return text


def clean_url(value: str | None) -> str | None:
    url = clean_text(value, "attachment link", required=False, limit=500)
    if url is not None and not url.startswith(("https://", "http://")):
        raise BadUserInput("An attachment link must be an http(s) address.")
    return url


async def path_of(session: AsyncSession, organisation_id: int | None) -> str | None:
    if organisation_id is None:
        return None
    return (
        await session.execute(
            sa.select(col(Organisation.path)).where(col(Organisation.id) == organisation_id)
        )
    ).scalar_one_or_none()


async def issue_facts(session: AsyncSession, issue: Issue) -> tuple[RowFacts, str]:
    compound_path = await path_of(session, issue.compound_id) or "/"
    facts = RowFacts(
        paths=(compound_path,),
        owner_person_id=issue.reporter_id,
        assignee_path=await path_of(session, issue.assignee_organisation_id),
    )
    return facts, compound_path


def add_event(
    session: AsyncSession,
    ctx: RequestContext,
    issue: Issue,
    kind: IssueEventKind,
    *,
    body: str | None = None,
    organisation_id: int | None = None,
    from_status: IssueStatus | None = None,
    attachment_url: str | None = None,
    meeting_id: int | None = None,
) -> IssueEvent:
    event = IssueEvent(
        issue_id=issue.id or 0,
        kind=kind,
        actor_person_id=ctx.actor.person_id,
        actor_organisation_id=organisation_id,
        from_status=from_status,
        to_status=issue.status if from_status is not None else None,
        body=body,
        attachment_url=attachment_url,
        meeting_id=meeting_id,
    )
    session.add(event)
    return event


def move(issue: Issue, action: IssueAction, record: AuditRecord) -> IssueStatus:
    """Apply ACTION to ISSUE's status through the state machine; return the old status."""
    before = issue.status
    after = transition(action, before)
    now = utcnow()
    record.change("status", before, after)
    issue.status = after
    if after in (IssueStatus.CLAIMED, IssueStatus.IN_PROGRESS) and issue.claimed_at is None:
        # A joint meeting's decision can take on an issue that nobody had claimed yet.
        issue.claimed_at = now
        issue.claim_seconds = int((now - issue.created_at).total_seconds())
        record.change("claimed_at", None, now)
    if after is IssueStatus.RESOLVED:
        record.change("resolved_at", issue.resolved_at, now)
        issue.resolved_at = now
        issue.resolve_seconds = int((now - issue.created_at).total_seconds())
    if after is IssueStatus.REOPENED:
        # The reporter was not satisfied: it is no longer resolved.
        record.change("resolved_at", issue.resolved_at, None)
        issue.resolved_at = None
        issue.resolve_seconds = None
    if after is IssueStatus.CLOSED:
        issue.closed_at = now
        record.change("closed_at", None, now)
    return before


Apply = Callable[[AsyncSession, Issue, AuditRecord], Awaitable[None]]


async def change_issue(
    ctx: RequestContext,
    data: IssueChange,
    *,
    operation: str,
    permission: str,
    what: str,
    apply: Apply,
) -> Issue:
    """The shared shape of every action on an existing issue."""

    async def handler(session: AsyncSession, record: AuditRecord) -> Issue:
        await visible_one(ctx, session, Issue, RESOURCE, data.id, "issue")
        issue = await locked(session, Issue, data.id, "issue")
        facts, compound_path = await issue_facts(session, issue)
        record.target(issue.id, issue.compound_id, compound_path)
        record.authorize(ctx.auth.decide(RESOURCE, permission), facts, what)
        check_version(issue, data.expected_version, "issue")
        await apply(session, issue, record)
        issue.version += 1
        issue.updated_at = utcnow()
        await session.flush()
        return issue

    return await run_mutation(
        ctx, operation=operation, resource_type=RESOURCE, input=vars(data), handler=handler
    )


async def may_take_issues(
    session: AsyncSession, organisation: Organisation, issue: Issue, day: date
) -> bool:
    """Inside the compound, linked to it by an active contract or pairing, or a public
    body above it (a department, social organisation or volunteer team)."""
    if organisation.compound_id == issue.compound_id:
        return True
    linked = await session.execute(
        sa.select(col(OrganisationLink.id)).where(
            col(OrganisationLink.source_id) == organisation.id,
            col(OrganisationLink.target_id) == issue.compound_id,
            col(OrganisationLink.kind).in_([LinkKind.SERVES, LinkKind.CO_BUILDS]),
            link_active_on(day),
        )
    )
    if linked.first() is not None:
        return True
    compound_path = await path_of(session, issue.compound_id) or "/"
    parent_path = organisation.path.rsplit("/", 2)[0] + "/"
    return organisation.kind in OUTSIDE_HELPERS and in_subtree(compound_path, parent_path)


async def taker(
    session: AsyncSession, ctx: RequestContext, organisation_id: int, issue: Issue
) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or not await may_take_issues(session, organisation, issue, ctx.today):
        raise BadUserInput(
            "That organisation cannot take this issue: it must belong to the compound, serve or "
            "co-build with it, or be a department, social organisation or volunteer team above it."
        )
    return organisation


async def report_issue(ctx: RequestContext, data: ReportIssue) -> Issue:
    async def handler(session: AsyncSession, record: AuditRecord) -> Issue:
        actor = ctx.require_actor()
        compound = await visible_one(
            ctx, session, Organisation, "organisation", data.compound_id, "compound"
        )
        if compound.kind is not OrganisationKind.COMPOUND:
            raise BadUserInput("Issues are reported in a compound.")
        record.target(None, compound.id, compound.path)
        facts = RowFacts(paths=(compound.path,))
        record.authorize(
            ctx.auth.decide(RESOURCE, "report"), facts, "report issues in this compound"
        )
        reporter_id = data.reporter_id or actor
        if reporter_id != actor:
            record.authorize(
                ctx.auth.decide(RESOURCE, "report_for_others"),
                facts,
                "report issues for other people",
            )
            reporter = await visible_one(ctx, session, Person, "person", reporter_id, "reporter")
            if reporter.residence_compound_id != compound.id:
                raise BadUserInput("The reporter must live in the compound the issue concerns.")
        if data.building_id is not None:
            building = await session.get(Organisation, data.building_id)
            if (
                building is None
                or building.kind is not OrganisationKind.BUILDING
                or building.compound_id != compound.id
            ):
                raise BadUserInput("The building must be a building of that compound.")
        now = utcnow()
        issue = Issue(
            compound_id=compound.id or 0,
            building_id=data.building_id,
            reporter_id=reporter_id,
            channel=data.channel,
            category=data.category,
            priority=data.priority,
            priority_rank=PRIORITY_RANK[data.priority],
            title=clean_text(data.title, "title", required=True, limit=200) or "",
            description=clean_text(data.description, "description", required=False) or "",
            status=IssueStatus.REPORTED,
            due_at=due_at(now, data.priority, data.category),
            created_at=now,
            updated_at=now,
        )
        session.add(issue)
        await session.flush()
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.REPORT,
            body=issue.title,
            attachment_url=clean_url(data.attachment_url),
        )
        record.target(issue.id, compound.id, compound.path)
        for field in (
            "compound_id",
            "reporter_id",
            "channel",
            "category",
            "priority",
            "status",
            "due_at",
        ):
            record.change(field, None, getattr(issue, field))
        await session.flush()
        return issue

    return await run_mutation(
        ctx, operation="reportIssue", resource_type=RESOURCE, input=vars(data), handler=handler
    )


async def claim_issue(ctx: RequestContext, data: ClaimIssue) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        for_own_partner(ctx, data.organisation_id, "claims issues")
        organisation = await taker(session, ctx, data.organisation_id, issue)
        before = move(issue, IssueAction.CLAIM, record)
        record.change("assignee_organisation_id", issue.assignee_organisation_id, organisation.id)
        issue.assignee_organisation_id = organisation.id
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.CLAIM,
            organisation_id=organisation.id,
            from_status=before,
        )

    return await change_issue(
        ctx,
        data,
        operation="claimIssue",
        permission="claim",
        what="claim this issue",
        apply=apply,
    )


async def assign_issue(ctx: RequestContext, data: AssignIssue) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        organisation = await taker(session, ctx, data.organisation_id, issue)
        if data.person_id is not None:
            holds = await session.execute(
                sa.select(col(Position.id)).where(
                    col(Position.person_id) == data.person_id,
                    col(Position.organisation_id) == organisation.id,
                    active_on(ctx.today),
                )
            )
            if holds.first() is None:
                raise BadUserInput(
                    "The assignee must hold an active position in that organisation."
                )
        before = move(issue, IssueAction.ASSIGN, record)
        record.change("assignee_organisation_id", issue.assignee_organisation_id, organisation.id)
        record.change("assignee_person_id", issue.assignee_person_id, data.person_id)
        issue.assignee_organisation_id = organisation.id
        issue.assignee_person_id = data.person_id
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.ASSIGNMENT,
            organisation_id=organisation.id,
            from_status=before if issue.status is not before else None,
        )

    return await change_issue(
        ctx,
        data,
        operation="assignIssue",
        permission="assign",
        what="assign this issue",
        apply=apply,
    )


def _acting_organisation(issue: Issue, record: AuditRecord) -> int | None:
    """A firm acting through its assignment speaks for the assignee organisation."""
    return (
        issue.assignee_organisation_id
        if record.grant and record.grant.role == "property_firm"
        else None
    )


def note_action(ctx: RequestContext, data: NoteIssue, action: IssueAction, note: str) -> Apply:
    """START, RESOLVE, REJECT: move the state machine and note why on the timeline."""

    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        text = clean_text(data.note, note, required=action is not IssueAction.START)
        before = move(issue, action, record)
        if action is IssueAction.REJECT:
            record.change("rejection_reason", issue.rejection_reason, text)
            issue.rejection_reason = text
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.STATUS_CHANGE,
            body=text,
            organisation_id=_acting_organisation(issue, record),
            from_status=before,
        )

    return apply


async def start_issue(ctx: RequestContext, data: NoteIssue) -> Issue:
    return await change_issue(
        ctx,
        data,
        operation="startIssue",
        permission="start",
        what="start work on this issue",
        apply=note_action(ctx, data, IssueAction.START, "note"),
    )


async def resolve_issue(ctx: RequestContext, data: NoteIssue) -> Issue:
    return await change_issue(
        ctx,
        data,
        operation="resolveIssue",
        permission="resolve",
        what="resolve this issue",
        apply=note_action(ctx, data, IssueAction.RESOLVE, "resolution"),
    )


async def reject_issue(ctx: RequestContext, data: NoteIssue) -> Issue:
    return await change_issue(
        ctx,
        data,
        operation="rejectIssue",
        permission="reject",
        what="reject this issue",
        apply=note_action(ctx, data, IssueAction.REJECT, "reason"),
    )


async def confirm_issue(ctx: RequestContext, data: ConfirmIssue) -> Issue:
    """The reporter closes a resolved issue with a rating, or reopens it."""

    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        comment = clean_text(data.comment, "comment", required=not data.accept)
        if data.accept:
            if data.satisfaction is None or not 1 <= data.satisfaction <= 5:
                raise BadUserInput("Rate your satisfaction from 1 to 5 to close the issue.")
            before = move(issue, IssueAction.CLOSE, record)
            record.change("satisfaction", issue.satisfaction, data.satisfaction)
            issue.satisfaction = data.satisfaction
        else:
            if data.satisfaction is not None:
                raise BadUserInput(
                    "A satisfaction rating closes an issue; to reopen it, say why instead."
                )
            before = move(issue, IssueAction.REOPEN, record)
        add_event(
            session, ctx, issue, IssueEventKind.STATUS_CHANGE, body=comment, from_status=before
        )

    return await change_issue(
        ctx,
        data,
        operation="confirmIssue",
        permission="confirm",
        what="confirm this issue (only its reporter may)",
        apply=apply,
    )


async def mark_duplicate(ctx: RequestContext, data: MarkDuplicate) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        if data.original_id == issue.id:
            raise BadUserInput("An issue cannot duplicate itself.")
        original = await visible_one(
            ctx, session, Issue, RESOURCE, data.original_id, "original issue"
        )
        if original.compound_id != issue.compound_id:
            raise BadUserInput("The original must be an issue of the same compound.")
        if original.status is IssueStatus.DUPLICATE:
            raise BadUserInput(
                f"That issue is itself a duplicate; mark this one a duplicate of its original "
                f"(issue {original.duplicate_of_id})."
            )
        before = move(issue, IssueAction.MARK_DUPLICATE, record)
        record.change("duplicate_of_id", None, original.id)
        issue.duplicate_of_id = original.id
        add_event(
            session,
            ctx,
            issue,
            IssueEventKind.STATUS_CHANGE,
            body=f"duplicate of #{original.id}",
            from_status=before,
        )

    return await change_issue(
        ctx,
        data,
        operation="markDuplicate",
        permission="mark_duplicate",
        what="mark this issue a duplicate",
        apply=apply,
    )


async def comment_on_issue(ctx: RequestContext, data: CommentOnIssue) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        url = clean_url(data.attachment_url)
        body = clean_text(data.body, "comment", required=url is None)
        kind = IssueEventKind.ATTACHMENT if url is not None else IssueEventKind.COMMENT
        add_event(
            session,
            ctx,
            issue,
            kind,
            body=body,
            attachment_url=url,
            organisation_id=_acting_organisation(issue, record),
        )
        record.change("timeline", None, kind.value)

    return await change_issue(
        ctx,
        data,
        operation="commentOnIssue",
        permission="comment",
        what="comment on this issue",
        apply=apply,
    )
