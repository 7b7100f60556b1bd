"""Changing issues: every action is one audited mutation that moves the state machine,
appends to the timeline, and refuses a stale version."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    PRIORITY_RANK,
    Issue,
    IssueEventKind,
    IssueStatus,
    Organisation,
    OrganisationKind,
    Person,
    Position,
)
from db.types import utcnow
from policies.conditions import RowFacts
from policies.grants import active_on
from resolvers.audited import AuditRecord
from resolvers.common import for_own_partner, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.issues.changes import (
    RESOURCE,
    acting_organisation,
    add_event,
    change_issue,
    clean_url,
    issue_action,
    move,
    note_action,
    taker,
)
from resolvers.issues.commands import (
    AssignIssue,
    ClaimIssue,
    CommentOnIssue,
    ConfirmIssue,
    MarkDuplicate,
    NoteIssue,
    ReportIssue,
)
from resolvers.issues.lifecycle import IssueAction
from resolvers.issues.sla import due_at
from resolvers.mutations import CreateMutation, Place, place
from resolvers.outbox import EventKind
from resolvers.text import clean_text
from resolvers.uploads.photos import attach_photo


async def _compound_place(
    ctx: RequestContext, session: AsyncSession, compound: Organisation
) -> Place:
    if compound.kind is not OrganisationKind.COMPOUND:
        raise BadUserInput(tr("Issues are reported in a compound."))
    return place(compound.id, compound.path)


REPORT_ISSUE = CreateMutation(
    operation="reportIssue",
    resource=RESOURCE,
    action="report",
    what=tr("report issues in this compound"),
    needs=" there (its residents, branch and committees); filing for another person needs "
    "issue:report_for_others",
    model=Organisation,
    reads="organisation",
    noun=tr("compound"),
    locate=_compound_place,
    announces=EventKind.ISSUE_REPORTED,
)
CLAIM_ISSUE = issue_action(
    "claimIssue",
    "claim",
    tr("claim this issue"),
    " (the compound's branch and committees)",
    announces=EventKind.ISSUE_CLAIMED,
)
ASSIGN_ISSUE = issue_action(
    "assignIssue", "assign", tr("assign this issue"), announces=EventKind.ISSUE_ASSIGNED
)
START_ISSUE = issue_action(
    "startIssue",
    "start",
    tr("start work on this issue"),
    " (the branch and committees; the firm for issues assigned to it)",
    announces=EventKind.ISSUE_STARTED,
)
RESOLVE_ISSUE = issue_action(
    "resolveIssue", "resolve", tr("resolve this issue"), announces=EventKind.ISSUE_RESOLVED
)
CONFIRM_ISSUE = issue_action(
    "confirmIssue",
    "confirm",
    tr("confirm this issue (only its reporter may)"),
    ", which only the reporter holds",
    announces={
        IssueStatus.CLOSED: EventKind.ISSUE_CLOSED,
        IssueStatus.REOPENED: EventKind.ISSUE_REOPENED,
    },
)
REJECT_ISSUE = issue_action(
    "rejectIssue", "reject", tr("reject this issue"), announces=EventKind.ISSUE_REJECTED
)
MARK_DUPLICATE = issue_action(
    "markDuplicate",
    "mark_duplicate",
    tr("mark this issue a duplicate"),
    announces=EventKind.ISSUE_MARKED_DUPLICATE,
)
COMMENT_ON_ISSUE = issue_action(
    "commentOnIssue",
    "comment",
    tr("comment on this issue"),
    " (the reporter on their own issue, the branch and committees, the firm it is assigned to)",
    announces=EventKind.ISSUE_COMMENTED,
)


async def report_issue(ctx: RequestContext, data: ReportIssue) -> Issue:
    async def apply(session: AsyncSession, compound: Organisation, record: AuditRecord) -> Issue:
        actor = ctx.require_actor()
        reporter_id = data.reporter_id or actor
        if reporter_id != actor:
            record.authorize(
                ctx.auth.decide(RESOURCE, "report_for_others"),
                RowFacts(paths=(compound.path,)),
                tr("report issues for other people"),
            )
            reporter = await visible_one(
                ctx, session, Person, "person", reporter_id, tr("reporter")
            )
            if reporter.residence_compound_id != compound.id:
                raise BadUserInput(tr("The reporter must live in the compound the issue concerns."))
        if data.building_id is not None:
            building = await session.get(Organisation, data.building_id)
            if (
                building is None
                or building.kind is not OrganisationKind.BUILDING
                or building.compound_id != compound.id
            ):
                raise BadUserInput(tr("The building must be a building of that compound."))
        now = utcnow()
        issue = Issue(
            compound_id=compound.id or 0,
            building_id=data.building_id,
            reporter_id=reporter_id,
            channel=data.channel,
            category=data.category,
            priority=data.priority,
            priority_rank=PRIORITY_RANK[data.priority],
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            description=clean_text(data.description, tr("description"), required=False) or "",
            status=IssueStatus.REPORTED,
            due_at=due_at(now, data.priority, data.category),
            created_at=now,
            updated_at=now,
        )
        session.add(issue)
        await session.flush()
        event = add_event(
            session,
            ctx,
            issue,
            IssueEventKind.REPORT,
            body=issue.title,
            attachment_url=clean_url(data.attachment_url),
        )
        record.target(issue.id, compound.id, compound.path, compound_id=compound.compound_id)
        record.named(issue)
        if data.photo_id is not None:
            await session.flush()  # the event's id, for the photo to point at
            await attach_photo(session, ctx, data.photo_id, issue, event, record)
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

    return await REPORT_ISSUE.under(ctx, data.compound_id, apply, data=data)


async def claim_issue(ctx: RequestContext, data: ClaimIssue) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        for_own_partner(ctx, data.organisation_id, tr("claims issues"))
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

    return await change_issue(ctx, CLAIM_ISSUE, data, apply)


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
                    tr("The assignee must hold an active position in that organisation.")
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

    return await change_issue(ctx, ASSIGN_ISSUE, data, apply)


async def start_issue(ctx: RequestContext, data: NoteIssue) -> Issue:
    return await change_issue(
        ctx, START_ISSUE, data, note_action(ctx, data, IssueAction.START, tr("note"))
    )


async def resolve_issue(ctx: RequestContext, data: NoteIssue) -> Issue:
    return await change_issue(
        ctx, RESOLVE_ISSUE, data, note_action(ctx, data, IssueAction.RESOLVE, tr("resolution"))
    )


async def reject_issue(ctx: RequestContext, data: NoteIssue) -> Issue:
    return await change_issue(
        ctx, REJECT_ISSUE, data, note_action(ctx, data, IssueAction.REJECT, tr("reason"))
    )


async def confirm_issue(ctx: RequestContext, data: ConfirmIssue) -> Issue:
    """The reporter closes a resolved issue with a rating, or reopens it."""

    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        comment = clean_text(data.comment, tr("comment"), required=not data.accept)
        if data.accept:
            if data.satisfaction is None or not 1 <= data.satisfaction <= 5:
                raise BadUserInput(tr("Rate your satisfaction from 1 to 5 to close the issue."))
            before = move(issue, IssueAction.CLOSE, record)
            record.change("satisfaction", issue.satisfaction, data.satisfaction)
            issue.satisfaction = data.satisfaction
        else:
            if data.satisfaction is not None:
                raise BadUserInput(
                    tr("A satisfaction rating closes an issue; to reopen it, say why instead.")
                )
            before = move(issue, IssueAction.REOPEN, record)
        add_event(
            session, ctx, issue, IssueEventKind.STATUS_CHANGE, body=comment, from_status=before
        )

    return await change_issue(ctx, CONFIRM_ISSUE, data, apply)


async def mark_duplicate(ctx: RequestContext, data: MarkDuplicate) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        if data.original_id == issue.id:
            raise BadUserInput(tr("An issue cannot duplicate itself."))
        original = await visible_one(
            ctx, session, Issue, RESOURCE, data.original_id, tr("original issue")
        )
        if original.compound_id != issue.compound_id:
            raise BadUserInput(tr("The original must be an issue of the same compound."))
        if original.status is IssueStatus.DUPLICATE:
            raise BadUserInput(
                tr(
                    "That issue is itself a duplicate; mark this one a duplicate of its "
                    "original, “{title}”.",
                    title=await _title_of(session, original.duplicate_of_id),
                )
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

    return await change_issue(ctx, MARK_DUPLICATE, data, apply)


async def comment_on_issue(ctx: RequestContext, data: CommentOnIssue) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        url = clean_url(data.attachment_url)
        attached = url is not None or data.photo_id is not None
        body = clean_text(data.body, tr("comment"), required=not attached)
        kind = IssueEventKind.ATTACHMENT if attached else IssueEventKind.COMMENT
        event = add_event(
            session,
            ctx,
            issue,
            kind,
            body=body,
            attachment_url=url,
            organisation_id=acting_organisation(issue, record),
        )
        record.change("timeline", None, kind.value)
        if data.photo_id is not None:
            await session.flush()
            await attach_photo(session, ctx, data.photo_id, issue, event, record)

    return await change_issue(ctx, COMMENT_ON_ISSUE, data, apply)


async def _title_of(session: AsyncSession, issue_id: int | None) -> str:
    """An issue as messages name it: by its title (an id means nothing to a person)."""
    issue = await session.get(Issue, issue_id) if issue_id is not None else None
    return issue.title if issue is not None else "?"
