"""The shared shape of the issue actions: load, lock, authorize, check the version, move the
state machine, append to the timeline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import (
    Issue,
    IssueEvent,
    IssueEventKind,
    IssueStatus,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
)
from db.paths import in_subtree
from db.types import utcnow
from policies.conditions import RowFacts
from policies.grants import link_active_on
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import Text, tr
from resolvers.issues.commands import (
    IssueChange,
    NoteIssue,
)
from resolvers.issues.lifecycle import IssueAction, transition
from resolvers.mutations import Place, PlaceRead, RowMutation, bump
from resolvers.organisations.paths import path_of
from resolvers.outbox import Announces
from resolvers.text import clean_text

RESOURCE = "issue"


# Bodies from outside a compound that may take on its issues.
OUTSIDE_HELPERS = frozenset(
    {
        OrganisationKind.DEPARTMENT,
        OrganisationKind.SOCIAL_ORGANISATION,
        OrganisationKind.VOLUNTEER_TEAM,
    }
)


def clean_url(value: str | None) -> str | None:
    url = clean_text(value, tr("attachment link"), required=False, limit=500)
    if url is not None and not url.startswith(("https://", "http://")):
        raise BadUserInput(tr("An attachment link must be an http(s) address."))
    return url


# The issue's compound and assignee, joined to its own (locked) row: FOR UPDATE OF issue
# locks the issue only. Aliased, so no scope subquery over organisation correlates to them.
_compound = aliased(Organisation, name="place_compound")
_assignee = aliased(Organisation, name="place_assignee")


def _with_place(statement: sa.Select[Any]) -> sa.Select[Any]:
    return (
        statement.outerjoin(_compound, col(_compound.id) == col(Issue.compound_id))
        .outerjoin(_assignee, col(_assignee.id) == col(Issue.assignee_organisation_id))
        .add_columns(col(_compound.path), col(_compound.compound_id), col(_assignee.path))
    )


def _issue_place(issue: Issue, values: tuple[Any, ...]) -> Place:
    """An issue lies in its compound; its reporter owns it, its assignee's path is a fact too."""
    compound_path, compound_compound_id, assignee_path = values
    path = compound_path if compound_path is not None else "/"
    facts = RowFacts(paths=(path,), owner_person_id=issue.reporter_id, assignee_path=assignee_path)
    return Place(issue.compound_id, path, facts, compound_compound_id)


# Where an issue lies, read with the issue itself (no statement of its own).
issue_place: PlaceRead[Issue] = PlaceRead(_with_place, _issue_place)


def issue_action(
    operation: str, action: str, what: Text, needs: str = "", *, announces: Announces
) -> RowMutation[Issue]:
    """An action on an existing issue: it checks the issue's version."""
    return RowMutation(
        operation=operation,
        announces=announces,
        resource=RESOURCE,
        action=action,
        what=what,
        needs=needs,
        model=Issue,
        noun=tr("issue"),
        locate=issue_place,
        checks_version=True,
    )


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
    # A partner unit acting through a token speaks for itself: the event names the unit and
    # the token; the issuer (the actor's person) only bounded what the token could do.
    partner = ctx.actor.partner_organisation_id
    event = IssueEvent(
        issue_id=issue.id or 0,
        kind=kind,
        actor_person_id=ctx.actor.person_id,
        actor_organisation_id=organisation_id if partner is None else partner,
        actor_token_id=None if partner is None else ctx.actor.token_id,
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
    ctx: RequestContext, spec: RowMutation[Issue], data: IssueChange, apply: Apply
) -> Issue:
    """The shared shape of every action on an existing issue: APPLY, then a new version."""

    async def change(session: AsyncSession, issue: Issue, record: AuditRecord) -> Issue:
        await apply(session, issue, record)
        bump(issue)
        await session.flush()
        return issue

    return await spec.on(ctx, data.id, change, data=data, expected_version=data.expected_version)


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
            tr(
                "That organisation cannot take this issue: it must belong to the compound, serve "
                "or "
                "co-build with it, or be a department, social organisation or volunteer team "
                "above it."
            )
        )
    return organisation


def acting_organisation(issue: Issue, record: AuditRecord) -> int | None:
    """A firm acting through its assignment speaks for the assignee organisation."""
    return (
        issue.assignee_organisation_id
        if record.grant and record.grant.role == "property_firm"
        else None
    )


def note_action(ctx: RequestContext, data: NoteIssue, action: IssueAction, note: Text) -> Apply:
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
            organisation_id=acting_organisation(issue, record),
            from_status=before,
        )

    return apply
