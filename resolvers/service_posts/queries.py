"""Service posts (服務崗位), the reads: posts, registrations, claims and service records,
scoped in SQL and batched for the DataLoaders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import PostClaim, PostFulfilment, ServicePost, ServicePostKind, ServiceRegistration
from resolvers.common import scoped, visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.pagination import MAX_PAGE_SIZE, Page, Window, keyset_page

LATEST_FULFILMENTS = 20


@dataclass(frozen=True)
class ServicePostFilter:
    compound_id: int | None = None
    kind: ServicePostKind | None = None
    # True: places left and not over; False: full or over.
    open: bool | None = None


def open_clause(ctx: RequestContext) -> sa.ColumnElement[bool]:
    return sa.and_(
        col(ServicePost.claimed_count) < col(ServicePost.capacity),
        sa.or_(col(ServicePost.ends_on).is_(None), col(ServicePost.ends_on) >= ctx.today),
    )


async def list_posts(
    ctx: RequestContext, filter: ServicePostFilter, window: Window
) -> Page[ServicePost]:
    """Posts the caller may see, newest first."""
    statement = scoped(ctx, ServicePost, "service_post")
    if filter.compound_id is not None:
        statement = statement.where(col(ServicePost.compound_id) == filter.compound_id)
    if filter.kind is not None:
        statement = statement.where(col(ServicePost.kind) == filter.kind)
    if filter.open is not None:
        clause = open_clause(ctx)
        statement = statement.where(clause if filter.open else sa.not_(clause))
    return await keyset_page(
        ctx,
        statement,
        keys=[col(ServicePost.id)],
        key_of=lambda post: (post.id,),
        window=window,
        descending=True,
    )


async def posts_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, ServicePost]:
    return await visible_by_ids(ctx, ServicePost, "service_post", ids)


async def registrations_by_ids(
    ctx: RequestContext, ids: list[int]
) -> dict[int, ServiceRegistration]:
    return await visible_by_ids(ctx, ServiceRegistration, "service_registration", ids)


async def claims_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, PostClaim]:
    return await visible_by_ids(ctx, PostClaim, "post_claim", ids)


async def active_registrations(
    ctx: RequestContext, person_ids: Sequence[int]
) -> dict[int, ServiceRegistration]:
    """Each person's active registration, where the caller may see it, in one statement."""
    if not person_ids:
        return {}
    rows: list[ServiceRegistration] = await read_whole(
        ctx.read,
        scoped(ctx, ServiceRegistration, "service_registration").where(
            col(ServiceRegistration.person_id).in_(set(person_ids)),
            col(ServiceRegistration.active),
        ),
    )
    return {row.person_id: row for row in rows}


async def list_registrations(
    ctx: RequestContext, compound_id: int | None, window: Window
) -> Page[ServiceRegistration]:
    """Active registrations the caller may see, in the order reported."""
    statement = scoped(ctx, ServiceRegistration, "service_registration").where(
        col(ServiceRegistration.active)
    )
    if compound_id is not None:
        statement = statement.where(col(ServiceRegistration.compound_id) == compound_id)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(ServiceRegistration.id)],
        key_of=lambda registration: (registration.id,),
        window=window,
    )


async def post_claims(ctx: RequestContext, post_ids: Sequence[int]) -> dict[int, list[PostClaim]]:
    """The active claims of each post that the caller may see (at most its capacity each)."""
    if not post_ids:
        return {}
    rows: list[PostClaim] = await read_whole(
        ctx.read,
        scoped(ctx, PostClaim, "post_claim")
        .where(col(PostClaim.post_id).in_(set(post_ids)), col(PostClaim.active))
        .order_by(col(PostClaim.id)),
    )
    found: dict[int, list[PostClaim]] = {}
    for row in rows:
        found.setdefault(row.post_id, []).append(row)
    return found


async def list_person_claims(
    ctx: RequestContext, person_id: int, window: Window
) -> Page[PostClaim]:
    """A person's claims, newest first, as far as the caller may see them."""
    statement = scoped(ctx, PostClaim, "post_claim").where(col(PostClaim.person_id) == person_id)
    return await keyset_page(
        ctx,
        statement,
        keys=[col(PostClaim.id)],
        key_of=lambda claim: (claim.id,),
        window=window,
        descending=True,
    )


def latest_count(latest: int | None) -> int:
    size = LATEST_FULFILMENTS if latest is None else latest
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise BadUserInput(
            tr(
                "'latest' must be between 0 and {MAX_PAGE_SIZE}; it was {size}.",
                MAX_PAGE_SIZE=MAX_PAGE_SIZE,
                size=size,
            )
        )
    return size


async def latest_fulfilments(
    ctx: RequestContext, claim_ids: Sequence[int], latest: int
) -> dict[int, list[PostFulfilment]]:
    """The LATEST most recent service records of each claim, newest first, in one statement.

    Only for claims the caller may see (the records are read with their claim).
    """
    if not claim_ids or latest == 0:
        return {}
    visible = scoped(ctx, PostClaim, "post_claim").with_only_columns(col(PostClaim.id))
    rank = (
        sa.func.row_number()
        .over(
            partition_by=col(PostFulfilment.claim_id),
            order_by=(col(PostFulfilment.served_on).desc(), col(PostFulfilment.id).desc()),
        )
        .label("rank")
    )
    ranked = (
        sa.select(col(PostFulfilment.id), rank)
        .where(
            col(PostFulfilment.claim_id).in_(set(claim_ids)),
            col(PostFulfilment.claim_id).in_(visible),
        )
        .subquery()
    )
    chosen = sa.select(ranked.c.id).where(ranked.c.rank <= latest)
    rows: list[PostFulfilment] = await read_whole(
        ctx.read,
        sa.select(PostFulfilment)
        .where(col(PostFulfilment.id).in_(chosen))
        .order_by(col(PostFulfilment.served_on).desc(), col(PostFulfilment.id).desc()),
    )
    found: dict[int, list[PostFulfilment]] = {}
    for row in rows:
        found.setdefault(row.claim_id, []).append(row)
    return found


@dataclass(frozen=True)
class Served:
    """Totals of service records: how many days, how many minutes."""

    days: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


async def served_by(
    ctx: RequestContext, column: sa.SQLColumnExpression[int], keys: Sequence[int]
) -> dict[int, Served]:
    """Totals of service records grouped by COLUMN (post or claim), in one statement.

    Totals of a post are shown to whoever may see the post: they name nobody.
    """
    if not keys:
        return {}
    rows = await ctx.read(
        sa.select(column, sa.func.count(), sa.func.sum(col(PostFulfilment.minutes)))
        .where(column.in_(set(keys)))
        .group_by(column)
    )
    return {
        key: Served(int(days), int(minutes or 0)) for key, days, minutes in map(tuple, rows.all())
    }


async def served_by_post(ctx: RequestContext, post_ids: Sequence[int]) -> dict[int, Served]:
    return await served_by(ctx, col(PostFulfilment.post_id), post_ids)


async def served_by_claim(ctx: RequestContext, claim_ids: Sequence[int]) -> dict[int, Served]:
    return await served_by(ctx, col(PostFulfilment.claim_id), claim_ids)
