"""Per-request DataLoaders of partner tokens and the organisations they name."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import ApiToken
from resolvers.context import RequestContext
from resolvers.tokens import partner as partner_tokens
from schema.common.dataloaders import by_id, cached


def token(ctx: RequestContext) -> DataLoader[int, ApiToken | None]:
    return cached(ctx, "token", lambda: DataLoader(by_id(ctx, partner_tokens.by_ids)))


def token_organisation_ids(ctx: RequestContext) -> DataLoader[int, list[int]]:
    """The organisations each token names, for a page of tokens in one statement."""

    async def load(keys: Sequence[int]) -> list[list[int]]:
        found = await partner_tokens.organisation_ids_of(ctx, keys)
        return [found.get(key, []) for key in keys]

    return cached(ctx, "token:organisations", lambda: DataLoader(load))
