"""The DataLoader plumbing every domain's loaders share: one loader per request and name,
batched by id or by key into lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from resolvers.context import RequestContext

V = TypeVar("V")


def cached(
    ctx: RequestContext, name: str, make: Callable[[], DataLoader[Any, Any]]
) -> DataLoader[Any, Any]:
    loader = ctx.caches.get(name)
    if loader is None:
        loader = make()
        ctx.caches[name] = loader
    return loader


def by_id(
    ctx: RequestContext, fetch: Callable[[RequestContext, list[int]], Awaitable[dict[int, V]]]
) -> Callable[[Sequence[int]], Awaitable[list[V | None]]]:
    async def load(keys: Sequence[int]) -> list[V | None]:
        found = await fetch(ctx, list(keys))
        return [found.get(key) for key in keys]

    return load


def lists(
    ctx: RequestContext,
    fetch: Callable[[RequestContext, Sequence[int]], Awaitable[dict[int, list[V]]]],
) -> Callable[[Sequence[int]], Awaitable[list[list[V]]]]:
    async def load(keys: Sequence[int]) -> list[list[V]]:
        found = await fetch(ctx, keys)
        return [found.get(key, []) for key in keys]

    return load


def many(
    ctx: RequestContext,
    fetch: Callable[[RequestContext, Sequence[int]], Awaitable[dict[int, list[V]]]],
) -> Callable[[Sequence[int]], Awaitable[list[list[V]]]]:
    async def load(keys: Sequence[int]) -> list[list[V]]:
        found = await fetch(ctx, list(keys))
        return [found.get(key, []) for key in keys]

    return load
