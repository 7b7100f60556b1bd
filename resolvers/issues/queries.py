"""The resident problem list: reading issues and their timelines, scoped in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.entity_rows import read_whole
from db.folding import fold, like_pattern
from db.models import (
    Issue,
    IssueCategory,
    IssueChannel,
    IssueEvent,
    IssueStatus,
)
from db.types import UtcDateTime, utcnow
from db.value_lists import in_values
from policies.scopes import organisations_under
from resolvers.common import ROW_IDS, among_ids, scoped, subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.issues.lifecycle import OPEN_STATES
from resolvers.kept import KeptPer
from resolvers.kept_pages import Branches, kept_page_query
from resolvers.pagination import (
    KeysetQuery,
    Ordering,
    Page,
    Window,
    keyset_page,
    keyset_query,
    read_page,
)

RESOURCE = "issue"


class IssueOrder(StrEnum):
    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    DUE_SOONEST = "DUE_SOONEST"
    PRIORITY = "PRIORITY"
    STATUS = "STATUS"


@dataclass(frozen=True)
class IssueFilter:
    compound_id: int | None = None
    subtree_of: int | None = None
    statuses: list[IssueStatus] | None = None
    categories: list[IssueCategory] | None = None
    channels: list[IssueChannel] | None = None
    assignee_id: int | None = None
    reporter_id: int | None = None
    overdue: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    search: str | None = None


def overdue_clause(now: datetime | sa.BindParameter[datetime]) -> sa.ColumnElement[bool]:
    """Open (not awaiting confirmation, not final) and past its due time (NOW may be a
    parameter a kept statement reads the clock into at each execution)."""
    return sa.and_(in_values(col(Issue.status), OPEN_STATES), col(Issue.due_at) < now)


def clock_now() -> sa.BindParameter[datetime]:
    """The time, read when the statement runs: page statements are kept across requests
    (resolvers/kept_pages.py), so the clock must never be frozen into one."""
    return sa.bindparam("now", callable_=utcnow, type_=UtcDateTime(), unique=True)


def is_overdue(issue: Issue, now: datetime) -> bool:
    return issue.status in OPEN_STATES and issue.due_at < now


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Issue]:
    return await visible_by_ids(ctx, Issue, RESOURCE, ids)


def reporter_visible(ctx: RequestContext) -> sa.ColumnElement[bool]:
    """Issues whose reporter the caller may know (their own, or by a read_reporter grant)."""
    return ctx.auth.decide(RESOURCE, "read_reporter").where()


async def reporter_visible_ids(ctx: RequestContext, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    statement = _reporter_visible_statement(reporter_visible(ctx), ctx.db.dialect_name)
    return set((await ctx.read(statement, {ROW_IDS: sorted(set(ids))})).scalars().all())


# Kept per (scope clause, dialect), as the loaders' row statements are (resolvers/common.py).
_reporter_known: KeptPer[sa.Select[Any]] = KeptPer(1024)


def _reporter_visible_statement(scope: sa.ColumnElement[bool], dialect: str) -> sa.Select[Any]:
    kept = _reporter_known.get((scope,), dialect)
    if kept is None:
        statement = sa.select(col(Issue.id)).where(among_ids(col(Issue.id), dialect), scope)
        kept = _reporter_known.keep((scope,), dialect, statement)
    return kept


async def filtered(
    ctx: RequestContext, filter: IssueFilter, *, scope: bool = True
) -> sa.Select[Any]:
    """The caller's visible issues narrowed by FILTER (shared by lists and statistics);
    without SCOPE, the caller applies the scope itself (a list, by branches)."""
    statement = scoped(ctx, Issue, RESOURCE) if scope else sa.select(Issue)
    if filter.compound_id is not None:
        statement = statement.where(col(Issue.compound_id) == filter.compound_id)
    if filter.subtree_of is not None:
        under = organisations_under(await subtree_root(ctx, filter.subtree_of))
        statement = statement.where(col(Issue.compound_id).in_(under))
    if filter.statuses:
        statement = statement.where(col(Issue.status).in_(filter.statuses))
    if filter.categories:
        statement = statement.where(col(Issue.category).in_(filter.categories))
    if filter.channels:
        statement = statement.where(col(Issue.channel).in_(filter.channels))
    if filter.assignee_id is not None:
        statement = statement.where(col(Issue.assignee_organisation_id) == filter.assignee_id)
    if filter.reporter_id is not None:
        # Filtering by reporter must not reveal who reported what to those who may not know.
        statement = statement.where(
            col(Issue.reporter_id) == filter.reporter_id, reporter_visible(ctx)
        )
    if filter.overdue is not None:
        clause = overdue_clause(clock_now())
        statement = statement.where(clause if filter.overdue else sa.not_(clause))
    if filter.created_from is not None:
        statement = statement.where(col(Issue.created_at) >= filter.created_from)
    if filter.created_to is not None:
        statement = statement.where(col(Issue.created_at) < filter.created_to)
    if filter.search:
        text = filter.search.strip()
        if len(text) > 100:
            raise BadUserInput(tr("Search for at most 100 characters."))
        # Folded like the stored copy, so script, width and case do not matter.
        statement = statement.where(
            col(Issue.search_text).like(like_pattern(fold(text)), escape="\\")
        )
    return statement


ORDERS: dict[IssueOrder, Ordering] = {
    IssueOrder.NEWEST: Ordering([col(Issue.created_at), col(Issue.id)], descending=True),
    IssueOrder.OLDEST: Ordering([col(Issue.created_at), col(Issue.id)]),
    IssueOrder.DUE_SOONEST: Ordering([col(Issue.due_at), col(Issue.id)]),
    IssueOrder.PRIORITY: Ordering(
        [col(Issue.priority_rank), col(Issue.created_at), col(Issue.id)], descending=True
    ),
    # Where an issue stands (STATUS_RANK: open states in lifecycle order, then awaiting the
    # reporter, then final), the longest waiting first within a status.
    IssueOrder.STATUS: Ordering([col(Issue.status_rank), col(Issue.created_at), col(Issue.id)]),
}


async def list_issues(
    ctx: RequestContext,
    filter: IssueFilter,
    order: IssueOrder,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
) -> Page[Issue]:
    query = await issue_page_query(ctx, filter, order, first, after, last=last, before=before)
    return await read_page(ctx, query, ORDERS[order].key_of)


async def issue_page_query(
    ctx: RequestContext,
    filter: IssueFilter,
    order: IssueOrder,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
) -> KeysetQuery:
    """The statements of the caller's page of issues (lists and compiled reads share it)."""
    keys, descending = ORDERS[order]

    async def build(branches: Branches) -> KeysetQuery:
        return keyset_query(
            await filtered(ctx, filter, scope=False),
            keys=keys,
            first=first,
            after=after,
            descending=descending,
            branches=branches,
            last=last,
            before=before,
        )

    return await kept_page_query(
        ctx, RESOURCE, filter, first, after, build, variant=order, last=last, before=before
    )


async def timeline(ctx: RequestContext, issue_id: int, window: Window) -> Page[IssueEvent]:
    """An issue's events, oldest first; only for an issue the caller may see."""
    visible = (
        scoped(ctx, Issue, RESOURCE)
        .where(col(Issue.id) == issue_id)
        .with_only_columns(col(Issue.id))
    )
    statement = sa.select(IssueEvent).where(col(IssueEvent.issue_id).in_(visible))
    return await keyset_page(
        ctx,
        statement,
        keys=[col(IssueEvent.id)],
        key_of=lambda e: (e.id,),
        window=window,
    )


async def last_events(ctx: RequestContext, issue_ids: Sequence[int]) -> dict[int, IssueEvent]:
    """The newest event of each issue, in one statement."""
    if not issue_ids:
        return {}
    statement = _last_events_statement(ctx.db.dialect_name)
    rows: list[IssueEvent] = await read_whole(
        ctx.read, statement, {ROW_IDS: sorted(set(issue_ids))}
    )
    return {event.issue_id: event for event in rows}


@lru_cache(maxsize=4)
def _last_events_statement(dialect: str) -> sa.Select[Any]:
    # Built once per database kind, the issues' ids a parameter.
    newest = (
        sa.select(sa.func.max(col(IssueEvent.id)))
        .where(among_ids(col(IssueEvent.issue_id), dialect))
        .group_by(col(IssueEvent.issue_id))
    )
    return sa.select(IssueEvent).where(col(IssueEvent.id).in_(newest))


async def events_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, IssueEvent]:
    """Timeline entries by id, only those of issues the caller may see."""
    if not ids:
        return {}
    visible = scoped(ctx, Issue, RESOURCE).with_only_columns(col(Issue.id))
    rows: list[IssueEvent] = await read_whole(
        ctx.read,
        sa.select(IssueEvent).where(
            col(IssueEvent.id).in_(set(ids)), col(IssueEvent.issue_id).in_(visible)
        ),
    )
    return {event.id or 0: event for event in rows}
