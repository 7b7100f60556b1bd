"""Per-request DataLoaders of organisations and the links between them."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import Organisation, OrganisationLink
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext
from resolvers.organisations import queries as organisations
from schema.common.dataloaders import by_id, cached


def organisation(ctx: RequestContext) -> DataLoader[int, Organisation | None]:
    return cached(ctx, "organisation", lambda: DataLoader(by_id(ctx, organisations.by_ids)))


def link(ctx: RequestContext) -> DataLoader[int, OrganisationLink | None]:
    return cached(ctx, "link", lambda: DataLoader(by_id(ctx, _links)))


async def _links(ctx: RequestContext, ids: list[int]) -> dict[int, OrganisationLink]:
    return await visible_by_ids(ctx, OrganisationLink, "link", ids)
