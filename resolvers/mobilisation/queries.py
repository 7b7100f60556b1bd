"""Mobilisation, the reads: calls scoped in SQL (the sender's side under their grant, each
person called on their own), the answers, and the figures of each call (targeted,
acknowledged, reported, response times), grouped in SQL for a page of calls at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    Mobilisation,
    MobilisationGroup,
    MobilisationRecipient,
    MobilisationStatus,
    MobilisationUrgency,
)
from resolvers.common import visible_by_ids
from resolvers.context import RequestContext
from resolvers.issues.stats import median_of
from resolvers.kept_pages import ordered_page_query
from resolvers.pagination import (
    KeysetQuery,
    Ordering,
    Page,
    Window,
    keyset_page,
    read_page,
)

RESOURCE = "mobilisation"
RECIPIENTS = "mobilisation_recipient"


@dataclass(frozen=True)
class MobilisationFilter:
    sender_id: int | None = None
    target_id: int | None = None
    status: MobilisationStatus | None = None
    urgency: MobilisationUrgency | None = None
    called_on_me: bool | None = None  # True: only calls that called on the caller


@dataclass(frozen=True)
class RecipientFilter:
    group: MobilisationGroup | None = None
    acknowledged: bool | None = None
    reported: bool | None = None


@dataclass(frozen=True)
class Figures:
    """One call's answers so far."""

    targeted: int = 0
    acknowledged: int = 0
    reported: int = 0
    average_response_seconds: float | None = None
    median_response_seconds: float | None = None


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


async def mobilisations_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Mobilisation]:
    return await visible_by_ids(ctx, Mobilisation, RESOURCE, ids)


async def recipients_by_ids(
    ctx: RequestContext, ids: list[int]
) -> dict[int, MobilisationRecipient]:
    return await visible_by_ids(ctx, MobilisationRecipient, RECIPIENTS, ids)


def _called_on(person_id: int) -> sa.ColumnElement[bool]:
    return col(Mobilisation.id).in_(
        sa.select(col(MobilisationRecipient.mobilisation_id)).where(
            col(MobilisationRecipient.person_id) == person_id
        )
    )


async def list_mobilisations(
    ctx: RequestContext, filter: MobilisationFilter, window: Window
) -> Page[Mobilisation]:
    """Calls the caller may read, newest first."""
    query = await mobilisations_page_query(ctx, filter, window)
    return await read_page(ctx, query, lambda call: (call.id,))


async def mobilisations_page_query(
    ctx: RequestContext, filter: MobilisationFilter, window: Window
) -> KeysetQuery:
    """The statements of the caller's page of calls (lists and compiled reads)."""
    statement = sa.select(Mobilisation)
    if filter.sender_id is not None:
        statement = statement.where(col(Mobilisation.sender_id) == filter.sender_id)
    if filter.target_id is not None:
        statement = statement.where(col(Mobilisation.target_id) == filter.target_id)
    if filter.status is not None:
        statement = statement.where(col(Mobilisation.status) == filter.status)
    if filter.urgency is not None:
        statement = statement.where(col(Mobilisation.urgency) == filter.urgency)
    if filter.called_on_me is not None:
        mine = _called_on(ctx.actor.person_id or 0)
        statement = statement.where(mine if filter.called_on_me else sa.not_(mine))

    # Kept per caller (their access holds their person, whom calledOnMe reads).
    return await ordered_page_query(
        ctx, RESOURCE, filter, statement, Ordering([col(Mobilisation.id)], descending=True), window
    )


async def list_recipients(
    ctx: RequestContext,
    mobilisation_id: int,
    filter: RecipientFilter,
    window: Window,
) -> Page[MobilisationRecipient]:
    """The answers of one call the caller may read (a person called on: their own only)."""
    return await keyset_page(
        ctx,
        recipient_rows(ctx, mobilisation_id, filter),
        keys=RECIPIENT_KEYS,
        key_of=lambda row: (row.id,),
        window=window,
    )


RECIPIENT_KEYS = [col(MobilisationRecipient.id)]


def recipient_rows(
    ctx: RequestContext,
    mobilisation_id: int | sa.ColumnElement[int],
    filter: RecipientFilter,
) -> sa.Select[MobilisationRecipient]:
    """The answers to the call MOBILISATION_ID (an id, or the enclosing row's in compiled
    reads) the caller may read that FILTER selects, in the order of RECIPIENT_KEYS."""
    statement = sa.select(MobilisationRecipient).where(
        col(MobilisationRecipient.mobilisation_id) == mobilisation_id
    )
    if filter.group is not None:
        statement = statement.where(col(MobilisationRecipient.group) == filter.group)
    if filter.acknowledged is not None:
        acked = col(MobilisationRecipient.acknowledged_at)
        statement = statement.where(acked.is_not(None) if filter.acknowledged else acked.is_(None))
    if filter.reported is not None:
        reported = col(MobilisationRecipient.reported_at)
        statement = statement.where(
            reported.is_not(None) if filter.reported else reported.is_(None)
        )
    return statement.where(ctx.auth.decide(RECIPIENTS, "read").where())


async def figures_of(ctx: RequestContext, ids: Sequence[int]) -> dict[int, Figures]:
    """The figures of calls the caller already may see, in two statements."""
    if not ids:
        return {}
    r = MobilisationRecipient
    chosen = col(r.mobilisation_id).in_(set(ids))
    rows: Any = await ctx.read(
        sa.select(
            col(r.mobilisation_id),
            sa.func.count(),
            sa.func.count(col(r.acknowledged_at)),
            sa.func.count(col(r.reported_at)),
            sa.func.avg(col(r.response_seconds)),
        )
        .where(chosen)
        .group_by(col(r.mobilisation_id))
    )
    counts = {int(m): (int(n), int(a), int(p), avg) for m, n, a, p, avg in rows.all()}
    medians: Any = await ctx.read(
        median_of(col(r.response_seconds), chosen, group=col(r.mobilisation_id))
    )
    median = {int(m): float(v) for m, v in medians.all() if v is not None}
    found: dict[int, Figures] = {}
    for call_id in ids:
        n, a, p, avg = counts.get(call_id, (0, 0, 0, None))
        found[call_id] = Figures(n, a, p, None if avg is None else float(avg), median.get(call_id))
    return found


async def my_rows(ctx: RequestContext, ids: Sequence[int]) -> dict[int, MobilisationRecipient]:
    """The caller's own answer to each of the calls IDS (absent: not called on)."""
    if not ids or ctx.actor.person_id is None:
        return {}
    rows: list[MobilisationRecipient] = await read_whole(
        ctx.read,
        sa.select(MobilisationRecipient).where(
            col(MobilisationRecipient.mobilisation_id).in_(set(ids)),
            col(MobilisationRecipient.person_id) == ctx.actor.person_id,
        ),
    )
    return {row.mobilisation_id: row for row in rows}
