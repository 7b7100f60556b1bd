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
from db.types import utcnow
from policies.conditions import RowFacts
from policies.grants import link_active_on
from resolvers.audited import AuditRecord, run_mutation
from resolvers.common import check_version, for_own_partner, locked, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.organisations.members import visible_compound
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
            f"The year must be {today.year - 1}, {today.year} or {today.year + 1}; it was {year}."
        )


async def publish_need(ctx: RequestContext, data: PublishNeed) -> CoBuildingNeed:
    async def handler(session: AsyncSession, record: AuditRecord) -> CoBuildingNeed:
        compound = await visible_compound(ctx, session, data.compound_id)
        record.target(None, compound.id, compound.path)
        record.authorize(
            ctx.auth.decide("need", "publish"),
            RowFacts(paths=(compound.path,)),
            "publish this compound's needs list",
        )
        check_year(data.year, ctx.today)
        need = CoBuildingNeed(
            compound_id=compound.id or 0,
            year=data.year,
            title=clean_text(data.title, "title", required=True, limit=200) or "",
            description=clean_text(data.description, "description", required=False) or "",
            category=clean_text(data.category, "category", required=False, limit=40),
            published_by_id=ctx.actor.person_id,
        )
        session.add(need)
        await session.flush()
        record.target(need.id, compound.id, compound.path)
        for name in ("compound_id", "year", "title", "category"):
            record.change(name, None, getattr(need, name))
        return need

    return await run_mutation(
        ctx, operation="publishNeed", resource_type="need", input=vars(data), handler=handler
    )


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

    async def handler(session: AsyncSession, record: AuditRecord) -> CoBuildingProject:
        compound = await visible_compound(ctx, session, data.compound_id)
        record.target(None, compound.id, compound.path)
        record.authorize(
            ctx.auth.decide("project", "commit"),
            RowFacts(paths=(compound.path,)),
            "record co-building projects for this compound",
        )
        check_year(data.year, ctx.today)
        for_own_partner(ctx, data.partner_id, "commits projects")
        partner = await session.get(Organisation, data.partner_id)
        if partner is None or partner.kind not in PARTNER_KINDS:
            raise BadUserInput("The partner must be a partner unit or a social organisation.")
        if not await co_builds_on(session, partner.id or 0, compound.id or 0, ctx.today):
            raise BadUserInput(
                # Not named: the caller may not be allowed to see this organisation.
                f"That partner is not co-building with {compound.name} on {ctx.today}: "
                "link them (CO_BUILDS) first."
            )
        if data.need_id is not None:
            need = await visible_one(ctx, session, CoBuildingNeed, "need", data.need_id, "need")
            if need.compound_id != compound.id or need.year != data.year:
                raise BadUserInput(
                    f"That need is on the {need.year} list of another compound or year; answer "
                    f"a need of {compound.name} for {data.year}."
                )
        if data.due_on is not None and data.due_on.year != data.year:
            raise BadUserInput(f"A project for {data.year} is due within {data.year}.")
        project = CoBuildingProject(
            compound_id=compound.id or 0,
            partner_id=partner.id or 0,
            need_id=data.need_id,
            year=data.year,
            title=clean_text(data.title, "title", required=True, limit=200) or "",
            description=clean_text(data.description, "description", required=False) or "",
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

    return await run_mutation(
        ctx, operation="commitProject", resource_type="project", input=vars(data), handler=handler
    )


async def _change_project(
    ctx: RequestContext,
    project_id: int,
    expected_version: int | None,
    action: str,
    record: AuditRecord,
    session: AsyncSession,
) -> CoBuildingProject:
    """Load, lock, authorize and move a project; the caller fills in the rest."""
    await visible_one(ctx, session, CoBuildingProject, "project", project_id, "project")
    project = await locked(session, CoBuildingProject, project_id, "project")
    compound_path = await path_of(session, project.compound_id) or "/"
    record.target(project.id, project.compound_id, compound_path)
    record.authorize(
        ctx.auth.decide("project", action),
        RowFacts(paths=(compound_path,)),
        f"{action} this project",
    )
    for_own_partner(ctx, project.partner_id, "changes projects")
    check_version(project, expected_version, "project")
    sources, target = MOVES[action]
    if project.status not in sources:
        allowed = " or ".join(sorted(s.value for s in sources))
        raise BadUserInput(
            f"This project is {project.status.value}; only a {allowed} project can be "
            f"{target.value.lower()}."
        )
    record.change("status", project.status, target)
    project.status = target
    project.version += 1
    project.updated_at = utcnow()
    return project


async def complete_project(ctx: RequestContext, data: CompleteProject) -> CoBuildingProject:
    async def handler(session: AsyncSession, record: AuditRecord) -> CoBuildingProject:
        project = await _change_project(
            ctx, data.project_id, data.expected_version, "complete", record, session
        )
        if data.completed_on > ctx.today:
            raise BadUserInput(f"{data.completed_on} is in the future; complete it once done.")
        if data.completed_on < project.committed_on:
            raise BadUserInput(f"It was committed on {project.committed_on}, after that date.")
        outcome = clean_text(data.outcome, "outcome", required=True)
        record.change("completed_on", None, data.completed_on)
        record.change("outcome", None, outcome)
        project.completed_on, project.outcome = data.completed_on, outcome
        await session.flush()
        return project

    return await run_mutation(
        ctx,
        operation="completeProject",
        resource_type="project",
        input=vars(data),
        handler=handler,
    )


async def cancel_project(ctx: RequestContext, data: CancelProject) -> CoBuildingProject:
    async def handler(session: AsyncSession, record: AuditRecord) -> CoBuildingProject:
        project = await _change_project(
            ctx, data.project_id, data.expected_version, "cancel", record, session
        )
        reason = clean_text(data.reason, "reason", required=True)
        record.change("cancel_reason", None, reason)
        project.cancel_reason = reason
        await session.flush()
        return project

    return await run_mutation(
        ctx, operation="cancelProject", resource_type="project", input=vars(data), handler=handler
    )
