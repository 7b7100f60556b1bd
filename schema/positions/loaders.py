"""Per-request DataLoaders of positions and cross-appointment."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Position
from resolvers.context import RequestContext
from resolvers.positions import queries as positions
from schema.common.dataloaders import by_id, cached


def position(ctx: RequestContext) -> DataLoader[int, Position | None]:
    return cached(ctx, "position", lambda: DataLoader(by_id(ctx, positions.by_ids)))


def cross_appointed(ctx: RequestContext) -> DataLoader[int, bool]:
    async def load(keys: Sequence[int]) -> list[bool]:
        found = await positions.cross_appointed_ids(ctx, list(keys))
        return [key in found for key in keys]

    return cached(ctx, "cross_appointed", lambda: DataLoader(load))
