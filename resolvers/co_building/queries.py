"""Co-building lists (共建清單), the reads: needs, projects, and whether each partner did "at
least one practical thing a year" (每年至少為小區辦一件實事) — all scoped and counted in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    CoBuildingNeed,
    CoBuildingProject,
    LinkKind,
    OrganisationLink,
    ProjectStatus,
)
from db.periods import in_force_during_sql
from resolvers.common import scoped, visible_by_ids
from resolvers.context import RequestContext
from resolvers.pagination import Page, Window, keyset_page


@dataclass(frozen=True)
class NeedFilter:
    compound_id: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class ProjectFilter:
    compound_id: int | None = None
    partner_id: int | None = None
    year: int | None = None
    status: ProjectStatus | None = None


@dataclass(frozen=True)
class ProjectCounts:
    """Projects of a year: committed (all but the cancelled ones) and completed."""

    committed: int = 0
    completed: int = 0


@dataclass(frozen=True)
class PartnerDelivery:
    """One partner co-building with a compound in a year, and what it delivered."""

    compound_id: int
    partner_id: int
    committed: int
    completed: int

    @property
    def delivered(self) -> bool:
        return self.completed >= 1


async def needs_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, CoBuildingNeed]:
    return await visible_by_ids(ctx, CoBuildingNeed, "need", ids)


async def projects_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, CoBuildingProject]:
    return await visible_by_ids(ctx, CoBuildingProject, "project", ids)


async def list_needs(
    ctx: RequestContext, filter: NeedFilter, window: Window
) -> Page[CoBuildingNeed]:
    """Needs the caller may see, in the order they were published."""
    statement = scoped(ctx, CoBuildingNeed, "need")
    if filter.compound_id is not None:
        statement = statement.where(col(CoBuildingNeed.compound_id) == filter.compound_id)
    if filter.year is not None:
        statement = statement.where(col(CoBuildingNeed.year) == filter.year)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(CoBuildingNeed.id)],
        key_of=lambda need: (need.id,),
        window=window,
    )


async def list_projects(
    ctx: RequestContext, filter: ProjectFilter, window: Window
) -> Page[CoBuildingProject]:
    """Projects the caller may see, in the order they were committed."""
    statement = scoped(ctx, CoBuildingProject, "project")
    equal: list[tuple[sa.SQLColumnExpression[object], object]] = [
        (col(CoBuildingProject.compound_id), filter.compound_id),
        (col(CoBuildingProject.partner_id), filter.partner_id),
        (col(CoBuildingProject.year), filter.year),
        (col(CoBuildingProject.status), filter.status),
    ]
    for column, value in equal:
        if value is not None:
            statement = statement.where(column == value)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(CoBuildingProject.id)],
        key_of=lambda project: (project.id,),
        window=window,
    )


async def need_projects(
    ctx: RequestContext, need_ids: Sequence[int]
) -> dict[int, list[CoBuildingProject]]:
    """The projects answering each need that the caller may see, in one statement."""
    if not need_ids:
        return {}
    rows: list[CoBuildingProject] = await read_whole(
        ctx.read,
        scoped(ctx, CoBuildingProject, "project")
        .where(col(CoBuildingProject.need_id).in_(set(need_ids)))
        .order_by(col(CoBuildingProject.id)),
    )
    found: dict[int, list[CoBuildingProject]] = {}
    for row in rows:
        found.setdefault(row.need_id or 0, []).append(row)
    return found


def _counted() -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    status = col(CoBuildingProject.status)
    committed = sa.func.coalesce(
        sa.func.sum(
            sa.case(
                (
                    sa.and_(
                        col(CoBuildingProject.id).is_not(None), status != ProjectStatus.CANCELLED
                    ),
                    1,
                ),
                else_=0,
            )
        ),
        0,
    )
    completed = sa.func.coalesce(
        sa.func.sum(sa.case((status == ProjectStatus.COMPLETED, 1), else_=0)), 0
    )
    return committed, completed


def partners_of_year(compound_ids: Sequence[int], year: int) -> sa.Subquery:
    """(compound, partner) pairs joined by a CO_BUILDS link in force on any day of YEAR."""
    return (
        sa.select(
            col(OrganisationLink.target_id).label("compound_id"),
            col(OrganisationLink.source_id).label("partner_id"),
        )
        .where(
            col(OrganisationLink.kind) == LinkKind.CO_BUILDS,
            col(OrganisationLink.target_id).in_(set(compound_ids)),
            in_force_during_sql(
                col(OrganisationLink.start_date),
                col(OrganisationLink.end_date),
                date(year, 1, 1),
                date(year, 12, 31),
            ),
        )
        .distinct()
        .subquery("partners")
    )


async def delivery_summaries(
    ctx: RequestContext, compound_ids: Sequence[int], year: int
) -> dict[int, list[PartnerDelivery]]:
    """For each compound, each partner active in YEAR with its committed and completed
    projects of that year (as far as the caller may see projects): one statement."""
    if not compound_ids:
        return {}
    partners = partners_of_year(compound_ids, year)
    committed, completed = _counted()
    statement = (
        sa.select(partners.c.compound_id, partners.c.partner_id, committed, completed)
        .select_from(partners)
        .outerjoin(
            CoBuildingProject,
            sa.and_(
                col(CoBuildingProject.compound_id) == partners.c.compound_id,
                col(CoBuildingProject.partner_id) == partners.c.partner_id,
                col(CoBuildingProject.year) == year,
                ctx.auth.decide("project", "read").where(),
            ),
        )
        .group_by(partners.c.compound_id, partners.c.partner_id)
        .order_by(partners.c.compound_id, partners.c.partner_id)
    )
    found: dict[int, list[PartnerDelivery]] = {}
    for compound_id, partner_id, n_committed, n_completed in map(
        tuple, (await ctx.read(statement)).all()
    ):
        found.setdefault(compound_id, []).append(
            PartnerDelivery(compound_id, partner_id, int(n_committed), int(n_completed))
        )
    return found


async def project_counts(
    ctx: RequestContext, compound_ids: Sequence[int], year: int
) -> dict[int, ProjectCounts]:
    """(committed, completed) projects of YEAR for each of many compounds, in one statement,
    over the projects the caller may see; compounds without any get zeros. For indicators."""
    if not compound_ids:
        return {}
    committed, completed = _counted()
    rows = await ctx.read(
        sa.select(col(CoBuildingProject.compound_id), committed, completed)
        .where(
            col(CoBuildingProject.compound_id).in_(set(compound_ids)),
            col(CoBuildingProject.year) == year,
            ctx.auth.decide("project", "read").where(),
        )
        .group_by(col(CoBuildingProject.compound_id))
    )
    counts = {
        compound_id: ProjectCounts(int(n_committed), int(n_completed))
        for compound_id, n_committed, n_completed in map(tuple, rows.all())
    }
    return {compound_id: counts.get(compound_id, ProjectCounts()) for compound_id in compound_ids}
