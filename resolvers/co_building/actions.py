"""Co-building lists (共建清單), the changes: the secretary publishes the compound's needs and
records what its partner units commit to and deliver. Permission checks go only through
ctx.auth.decide("need" | "project", action), so partner tokens mapped onto project:commit and
project:complete work here unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    CoBuildingNeed,
    CoBuildingProject,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    ProjectStatus,
)
from policies.grants import link_active_on
from resolvers.audited import AuditRecord
from resolvers.common import for_own_partner, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import Text, coded, tr
from resolvers.mutations import Place, RowMutation, bump, place
from resolvers.organisations.members import in_compound
from resolvers.organisations.paths import path_of
from resolvers.text import clean_text

PARTNER_KINDS = frozenset({OrganisationKind.PARTNER_UNIT, OrganisationKind.SOCIAL_ORGANISATION})
# What each action may start from, and where it leads.
MOVES: dict[str, tuple[frozenset[ProjectStatus], ProjectStatus]] = {
    "complete": (frozenset({ProjectStatus.COMMITTED}), ProjectStatus.COMPLETED),
    "cancel": (frozenset({ProjectStatus.COMMITTED}), ProjectStatus.CANCELLED),
}


@dataclass(frozen=True)
class PublishNeed:
    compound_id: int
    title: str
    year: int
    description: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class CommitProject:
    compound_id: int
    partner_id: int
    year: int
    title: str
    need_id: int | None = None
    description: str | None = None
    due_on: date | None = None


@dataclass(frozen=True)
class CompleteProject:
    project_id: int
    completed_on: date
    outcome: str
    expected_version: int | None = None


@dataclass(frozen=True)
class CancelProject:
    project_id: int
    reason: str
    expected_version: int | None = None


def check_year(year: int, today: date) -> None:
    """Lists are kept for last year, this year and next year."""
    if not today.year - 1 <= year <= today.year + 1:
        raise BadUserInput(
            tr(
                "The year must be {last_year}, {this_year} or {next_year}; it was {given}.",
                last_year=today.year - 1,
                this_year=today.year,
                next_year=today.year + 1,
                given=year,
            )
        )


async def _project_place(
    ctx: RequestContext, session: AsyncSession, project: CoBuildingProject
) -> Place:
    return place(project.compound_id, await path_of(session, project.compound_id) or "/")


def _own_partner(ctx: RequestContext, project: CoBuildingProject) -> None:
    for_own_partner(ctx, project.partner_id, tr("changes projects"))


def _project_change(operation: str, action: str, what: Text) -> RowMutation[CoBuildingProject]:
    """A move of an existing project (MOVES), by the secretary or the partner itself."""
    return RowMutation(
        operation=operation,
        resource="project",
        action=action,
        what=what,
        needs=" (the secretary)",
        model=CoBuildingProject,
        noun=tr("project"),
        locate=_project_place,
        guard=_own_partner,
        checks_version=True,
    )


PUBLISH_NEED = in_compound(
    operation="publishNeed",
    resource="need",
    action="publish",
    what=tr("publish this compound's needs list"),
    needs=" (the secretary)",
)
COMMIT_PROJECT = in_compound(
    operation="commitProject",
    resource="project",
    action="commit",
    what=tr("record co-building projects for this compound"),
    needs=" (the secretary, recording for the partner)",
)
COMPLETE_PROJECT = _project_change("completeProject", "complete", tr("complete this project"))
CANCEL_PROJECT = _project_change("cancelProject", "cancel", tr("cancel this project"))


async def publish_need(ctx: RequestContext, data: PublishNeed) -> CoBuildingNeed:
    async def apply(
        session: AsyncSession, compound: Organisation, record: AuditRecord
    ) -> CoBuildingNeed:
        check_year(data.year, ctx.today)
        need = CoBuildingNeed(
            compound_id=compound.id or 0,
            year=data.year,
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            description=clean_text(data.description, tr("description"), required=False) or "",
            category=clean_text(data.category, tr("category"), required=False, limit=40),
            published_by_id=ctx.actor.person_id,
        )
        session.add(need)
        await session.flush()
        record.target(need.id, compound.id, compound.path)
        for name in ("compound_id", "year", "title", "category"):
            record.change(name, None, getattr(need, name))
        return need

    return await PUBLISH_NEED.under(ctx, data.compound_id, apply, data=data)


async def co_builds_on(session: AsyncSession, partner_id: int, compound_id: int, day: date) -> bool:
    """Whether an active CO_BUILDS link joins the partner to the compound on DAY."""
    found = await session.execute(
        sa.select(col(OrganisationLink.id)).where(
            col(OrganisationLink.kind) == LinkKind.CO_BUILDS,
            col(OrganisationLink.source_id) == partner_id,
            col(OrganisationLink.target_id) == compound_id,
            link_active_on(day),
        )
    )
    return found.first() is not None


async def commit_project(ctx: RequestContext, data: CommitProject) -> CoBuildingProject:
    """A partner's commitment for a year, recorded (for now) by the compound's secretary."""

    async def apply(
        session: AsyncSession, compound: Organisation, record: AuditRecord
    ) -> CoBuildingProject:
        check_year(data.year, ctx.today)
        for_own_partner(ctx, data.partner_id, tr("commits projects"))
        partner = await session.get(Organisation, data.partner_id)
        if partner is None or partner.kind not in PARTNER_KINDS:
            raise BadUserInput(tr("The partner must be a partner unit or a social organisation."))
        if not await co_builds_on(session, partner.id or 0, compound.id or 0, ctx.today):
            raise BadUserInput(
                # Not named: the caller may not be allowed to see this organisation.
                tr(
                    "That partner is not co-building with {name} on {today}: link them "
                    "(CO_BUILDS) first.",
                    name=compound.name,
                    today=ctx.today,
                )
            )
        if data.need_id is not None:
            need = await visible_one(ctx, session, CoBuildingNeed, "need", data.need_id, tr("need"))
            if need.compound_id != compound.id or need.year != data.year:
                raise BadUserInput(
                    tr(
                        "That need is on the {year} list of another compound or year; answer a "
                        "need of {name} for {year2}.",
                        year=need.year,
                        name=compound.name,
                        year2=data.year,
                    )
                )
        if data.due_on is not None and data.due_on.year != data.year:
            raise BadUserInput(tr("A project for {year} is due within {year}.", year=data.year))
        project = CoBuildingProject(
            compound_id=compound.id or 0,
            partner_id=partner.id or 0,
            need_id=data.need_id,
            year=data.year,
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            description=clean_text(data.description, tr("description"), required=False) or "",
            due_on=data.due_on,
            status=ProjectStatus.COMMITTED,
            committed_on=ctx.today,
            recorded_by_id=ctx.actor.person_id,
        )
        session.add(project)
        await session.flush()
        record.target(project.id, compound.id, compound.path)
        for name in ("compound_id", "partner_id", "need_id", "year", "title", "due_on", "status"):
            record.change(name, None, getattr(project, name))
        return project

    return await COMMIT_PROJECT.under(ctx, data.compound_id, apply, data=data)


def _move(project: CoBuildingProject, action: str, record: AuditRecord) -> None:
    """Move a project as ACTION does (MOVES), to a new version."""
    sources, target = MOVES[action]
    if project.status not in sources:
        raise BadUserInput(
            tr(
                "This project is {status}; only a {allowed} project can be {action}.",
                status=coded(project.status),
                allowed=coded(*sorted(sources), joiner=" or "),
                action=coded(target, english=target.value.lower()),
            )
        )
    record.change("status", project.status, target)
    project.status = target
    bump(project)


async def complete_project(ctx: RequestContext, data: CompleteProject) -> CoBuildingProject:
    async def apply(
        session: AsyncSession, project: CoBuildingProject, record: AuditRecord
    ) -> CoBuildingProject:
        _move(project, "complete", record)
        if data.completed_on > ctx.today:
            raise BadUserInput(
                tr(
                    "{completed_on} is in the future; complete it once done.",
                    completed_on=data.completed_on,
                )
            )
        if data.completed_on < project.committed_on:
            raise BadUserInput(
                tr(
                    "It was committed on {committed_on}, after that date.",
                    committed_on=project.committed_on,
                )
            )
        outcome = clean_text(data.outcome, tr("outcome"), required=True)
        record.change("completed_on", None, data.completed_on)
        record.change("outcome", None, outcome)
        project.completed_on, project.outcome = data.completed_on, outcome
        await session.flush()
        return project

    return await COMPLETE_PROJECT.on(
        ctx, data.project_id, apply, data=data, expected_version=data.expected_version
    )


async def cancel_project(ctx: RequestContext, data: CancelProject) -> CoBuildingProject:
    async def apply(
        session: AsyncSession, project: CoBuildingProject, record: AuditRecord
    ) -> CoBuildingProject:
        _move(project, "cancel", record)
        reason = clean_text(data.reason, tr("reason"), required=True)
        record.change("cancel_reason", None, reason)
        project.cancel_reason = reason
        await session.flush()
        return project

    return await CANCEL_PROJECT.on(
        ctx, data.project_id, apply, data=data, expected_version=data.expected_version
    )
