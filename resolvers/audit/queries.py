"""Reading the audit log: what changed, by whom, under which grant — scoped in SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import AuditEntry, AuditOutcome
from db.paths import any_subtree_clause
from resolvers.audit_names import lookup
from resolvers.common import scoped, subtree_root
from resolvers.context import RequestContext
from resolvers.kept_pages import Branches, kept_page_query
from resolvers.pagination import MAX_PAGE_SIZE, KeysetQuery, Page, keyset_query, read_page

RESOURCE = "audit"


@dataclass(frozen=True)
class AuditFilter:
    subtree_of: int | None = None
    organisation_id: int | None = None
    actor_id: int | None = None
    token_id: int | None = None
    partner_id: int | None = None
    operation: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    outcome: AuditOutcome | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None


def readable(ctx: RequestContext, *, scope: bool = True) -> sa.Select[AuditEntry]:
    """The entries the caller may read (without SCOPE, the caller applies the scope itself,
    as a list's branches). A partner token reads only what its own organisation did
    through tokens: entries about others carry their inputs and changes (party
    membership, reporters, scores), which no scope lends."""
    statement = scoped(ctx, AuditEntry, RESOURCE) if scope else sa.select(AuditEntry)
    partner = ctx.actor.partner_organisation_id
    if partner is not None:
        statement = statement.where(col(AuditEntry.actor_organisation_id) == partner)
    return statement


async def by_seqs(ctx: RequestContext, seqs: list[int]) -> dict[int, AuditEntry]:
    """The entries among SEQS the caller may read, keyed by sequence (for node fetches)."""
    if not seqs:
        return {}
    rows: list[AuditEntry] = await read_whole(
        ctx.read, readable(ctx).where(col(AuditEntry.seq).in_(seqs))
    )
    return {entry.seq: entry for entry in rows}


async def list_entries(
    ctx: RequestContext,
    filter: AuditFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
) -> Page[AuditEntry]:
    """Entries the caller may read, newest first (keyset on the chain sequence)."""
    return await _page(ctx, filter, first, after, descending=True, last=last, before=before)


async def entries_page_query(
    ctx: RequestContext,
    filter: AuditFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
) -> KeysetQuery:
    """The statements of list_entries' page (lists and compiled reads share them)."""
    return await _page_query(ctx, filter, first, after, descending=True, last=last, before=before)


async def _page(
    ctx: RequestContext,
    filter: AuditFilter,
    first: int | None,
    after: str | None,
    *,
    descending: bool,
    last: int | None = None,
    before: str | None = None,
) -> Page[AuditEntry]:
    query = await _page_query(
        ctx, filter, first, after, descending=descending, last=last, before=before
    )
    return await read_page(ctx, query, lambda entry: (entry.seq,))


async def _filtered(ctx: RequestContext, filter: AuditFilter) -> sa.Select[AuditEntry]:
    """The caller's readable entries FILTER admits, before the scope's branches."""
    statement = readable(ctx, scope=False)
    if filter.subtree_of is not None:
        roots = await subtree_root(ctx, filter.subtree_of)
        statement = statement.where(any_subtree_clause(col(AuditEntry.organisation_path), roots))
    equal: list[tuple[sa.SQLColumnExpression[Any], object]] = [
        (col(AuditEntry.organisation_id), filter.organisation_id),
        (col(AuditEntry.actor_person_id), filter.actor_id),
        (col(AuditEntry.actor_token_id), filter.token_id),
        (col(AuditEntry.actor_organisation_id), filter.partner_id),
        (col(AuditEntry.operation), filter.operation),
        (col(AuditEntry.resource_type), filter.resource_type),
        (col(AuditEntry.resource_id), filter.resource_id),
        (col(AuditEntry.outcome), filter.outcome),
    ]
    for column, value in equal:
        if value is not None:
            statement = statement.where(column == value)
    if filter.occurred_from is not None:
        statement = statement.where(col(AuditEntry.occurred_at) >= filter.occurred_from)
    if filter.occurred_to is not None:
        statement = statement.where(col(AuditEntry.occurred_at) < filter.occurred_to)
    return statement


async def _page_query(
    ctx: RequestContext,
    filter: AuditFilter,
    first: int | None,
    after: str | None,
    *,
    descending: bool,
    last: int | None = None,
    before: str | None = None,
) -> KeysetQuery:
    async def build(branches: Branches) -> KeysetQuery:
        return keyset_query(
            await _filtered(ctx, filter),
            keys=[col(AuditEntry.seq)],
            first=first,
            after=after,
            last=last,
            before=before,
            descending=descending,
            branches=branches,
        )

    return await kept_page_query(
        ctx, RESOURCE, filter, first, after, build, variant=descending, last=last, before=before
    )


async def stream_entries(
    ctx: RequestContext, filter: AuditFilter, batch: int = MAX_PAGE_SIZE
) -> AsyncIterator[AuditEntry]:
    """Every entry the caller may read that FILTER admits, oldest first, BATCH at a time:
    memory stays constant however long the log."""
    after: str | None = None
    while True:
        page = await _page(ctx, filter, batch, after, descending=False)
        for entry in page.items:
            yield entry
        if not page.has_next_page:
            return
        after = page.end_cursor
        ctx.caches.clear()


async def names(ctx: RequestContext, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The display names of records the caller's entries show (resolvers.audit_names)."""
    return await lookup(ctx.read, keys)
