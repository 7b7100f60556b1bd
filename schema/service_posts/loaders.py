"""Per-request DataLoaders of service posts, registrations, claims and their records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from strawberry.dataloader import DataLoader

from db.models import PostClaim, PostFulfilment, ServicePost, ServiceRegistration
from resolvers.context import RequestContext
from resolvers.service_posts import queries as service_posts
from schema.common.dataloaders import by_id, cached, lists


def service_registration(ctx: RequestContext) -> DataLoader[int, ServiceRegistration | None]:
    return cached(
        ctx,
        "service_registration",
        lambda: DataLoader(by_id(ctx, service_posts.registrations_by_ids)),
    )


def service_post(ctx: RequestContext) -> DataLoader[int, ServicePost | None]:
    return cached(ctx, "service_post", lambda: DataLoader(by_id(ctx, service_posts.posts_by_ids)))


def post_claim(ctx: RequestContext) -> DataLoader[int, PostClaim | None]:
    return cached(ctx, "post_claim", lambda: DataLoader(by_id(ctx, service_posts.claims_by_ids)))


def person_registration(ctx: RequestContext) -> DataLoader[int, ServiceRegistration | None]:
    """A person's active service registration, by person id."""
    return cached(
        ctx,
        "person:service_registration",
        lambda: DataLoader(by_id(ctx, service_posts.active_registrations)),
    )


def post_claims(ctx: RequestContext) -> DataLoader[int, list[PostClaim]]:
    return cached(
        ctx, "service_post:claims", lambda: DataLoader(lists(ctx, service_posts.post_claims))
    )


def claim_fulfilments(ctx: RequestContext, latest: int) -> DataLoader[int, list[PostFulfilment]]:
    """The LATEST most recent service records of each claim (one loader per LATEST)."""

    async def fetch(ctx: RequestContext, keys: Sequence[int]) -> dict[int, list[PostFulfilment]]:
        return await service_posts.latest_fulfilments(ctx, keys, latest)

    return cached(ctx, f"post_claim:fulfilments:{latest}", lambda: DataLoader(lists(ctx, fetch)))


def _served(
    ctx: RequestContext,
    fetch: Callable[[RequestContext, Sequence[int]], Awaitable[dict[int, service_posts.Served]]],
) -> Callable[[Sequence[int]], Awaitable[list[service_posts.Served]]]:
    async def load(keys: Sequence[int]) -> list[service_posts.Served]:
        found = await fetch(ctx, keys)
        return [found.get(key, service_posts.Served()) for key in keys]

    return load


def post_served(ctx: RequestContext) -> DataLoader[int, service_posts.Served]:
    return cached(
        ctx, "service_post:served", lambda: DataLoader(_served(ctx, service_posts.served_by_post))
    )


def claim_served(ctx: RequestContext) -> DataLoader[int, service_posts.Served]:
    return cached(
        ctx, "post_claim:served", lambda: DataLoader(_served(ctx, service_posts.served_by_claim))
    )
