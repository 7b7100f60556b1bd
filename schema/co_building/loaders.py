"""Per-request DataLoaders of co-building needs, projects and each compound's partners."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import CoBuildingNeed, CoBuildingProject
from resolvers.co_building import queries as co_building
from resolvers.context import RequestContext
from schema.common.dataloaders import by_id, cached, lists


def co_building_need(ctx: RequestContext) -> DataLoader[int, CoBuildingNeed | None]:
    return cached(ctx, "need", lambda: DataLoader(by_id(ctx, co_building.needs_by_ids)))


def co_building_project(ctx: RequestContext) -> DataLoader[int, CoBuildingProject | None]:
    return cached(ctx, "project", lambda: DataLoader(by_id(ctx, co_building.projects_by_ids)))


def need_projects(ctx: RequestContext) -> DataLoader[int, list[CoBuildingProject]]:
    return cached(ctx, "need:projects", lambda: DataLoader(lists(ctx, co_building.need_projects)))


def delivery_summary(
    ctx: RequestContext, year: int
) -> DataLoader[int, list[co_building.PartnerDelivery]]:
    """Each compound's partners of YEAR and what they delivered (one loader per YEAR)."""

    async def fetch(
        ctx: RequestContext, keys: Sequence[int]
    ) -> dict[int, list[co_building.PartnerDelivery]]:
        return await co_building.delivery_summaries(ctx, keys, year)

    return cached(ctx, f"compound:co_building:{year}", lambda: DataLoader(lists(ctx, fetch)))
