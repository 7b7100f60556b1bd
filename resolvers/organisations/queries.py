"""Reading organisations: the city tree and the bodies inside each compound, scoped in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import col

from db.models import Organisation, OrganisationKind
from db.paths import any_subtree_clause
from resolvers.common import scoped, subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.kept_pages import ordered_page_query
from resolvers.pagination import KeysetQuery, Ordering, Page, Window, read_page

RESOURCE = "organisation"


class OrganisationOrder(StrEnum):
    NAME = "NAME"
    NEWEST = "NEWEST"


ORDERS: dict[OrganisationOrder, Ordering] = {
    OrganisationOrder.NAME: Ordering([col(Organisation.name), col(Organisation.id)]),
    OrganisationOrder.NEWEST: Ordering(
        [col(Organisation.created_at), col(Organisation.id)], descending=True
    ),
}


@dataclass(frozen=True)
class OrganisationFilter:
    kinds: list[OrganisationKind] | None = None
    parent_id: int | None = None
    compound_id: int | None = None
    subtree_of: int | None = None
    name_contains: str | None = None


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Organisation]:
    return await visible_by_ids(ctx, Organisation, RESOURCE, ids)


async def list_organisations(
    ctx: RequestContext,
    filter: OrganisationFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    order: OrganisationOrder = OrganisationOrder.NAME,
) -> Page[Organisation]:
    query = await organisations_page_query(
        ctx, filter, first, after, last=last, before=before, order=order
    )
    return await read_page(ctx, query, ORDERS[order].key_of)


async def organisations_page_query(
    ctx: RequestContext,
    filter: OrganisationFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    order: OrganisationOrder = OrganisationOrder.NAME,
) -> KeysetQuery:
    """The statements of the caller's page of organisations (lists and compiled reads)."""
    return await ordered_page_query(
        ctx,
        RESOURCE,
        filter,
        lambda: _filtered(ctx, filter),
        ORDERS[order],
        Window(first, after, last, before),
        variant=order,
        branches=False,
    )


async def _filtered(ctx: RequestContext, filter: OrganisationFilter) -> sa.Select[Organisation]:
    statement = organisation_rows(ctx, filter)
    if filter.subtree_of is not None:
        roots = await subtree_root(ctx, filter.subtree_of)
        statement = statement.where(any_subtree_clause(col(Organisation.path), roots))
    return statement


def organisation_rows(
    ctx: RequestContext,
    filter: OrganisationFilter,
    *,
    parent: sa.ColumnElement[int] | None = None,
) -> sa.Select[Organisation]:
    """The organisations the caller may read that FILTER selects, but for its subtree (which
    reads the database): lists, and an organisation's children in compiled reads (whose
    PARENT is the enclosing row's id)."""
    statement = scoped(ctx, Organisation, RESOURCE)
    if filter.kinds:
        statement = statement.where(col(Organisation.kind).in_(filter.kinds))
    if filter.parent_id is not None:
        statement = statement.where(col(Organisation.parent_id) == filter.parent_id)
    if parent is not None:
        statement = statement.where(col(Organisation.parent_id) == parent)
    if filter.compound_id is not None:
        statement = statement.where(col(Organisation.compound_id) == filter.compound_id)
    if filter.name_contains:
        statement = statement.where(
            col(Organisation.name).contains(filter.name_contains, autoescape=True)
        )
    return statement
