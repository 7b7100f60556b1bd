"""Per-request DataLoaders of people and who may read their sensitive fields."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import Person
from resolvers.context import RequestContext
from resolvers.people import queries as people
from schema.common.dataloaders import by_id, cached


def person(ctx: RequestContext) -> DataLoader[int, Person | None]:
    return cached(ctx, "person", lambda: DataLoader(by_id(ctx, people.by_ids)))


def sensitive(ctx: RequestContext, action: str) -> DataLoader[int, bool]:
    """Whether the caller may read a sensitive person field, batched per page in one query."""

    async def load(keys: Sequence[int]) -> list[bool]:
        allowed = await people.ids_allowed(ctx, action, list(keys))
        return [key in allowed for key in keys]

    return cached(ctx, f"person:{action}", lambda: DataLoader(load))
