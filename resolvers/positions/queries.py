"""Reading positions: who holds which role where, and who is cross-appointed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import Organisation, OrganisationKind, Person, Position, PositionTitle
from db.periods import in_force, in_force_sql
from policies.grants import active_on
from policies.subtrees import organisations_under
from resolvers.common import subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.kept_pages import ordered_page_query
from resolvers.organisations.branches import compounds_served_by
from resolvers.pagination import (
    KeysetQuery,
    Ordering,
    Page,
    Window,
    read_page,
    read_page_with_keys,
)

RESOURCE = "position"


class PositionOrder(StrEnum):
    APPOINTED = "APPOINTED"
    TERM_START_NEWEST = "TERM_START_NEWEST"
    TERM_START_OLDEST = "TERM_START_OLDEST"
    PERSON_NAME = "PERSON_NAME"


# The holder's name, read through person's primary key for each position in the scope
# (a correlated subquery keeps the list's rows and statements those of one table: the
# scope branches, the count and the compiled read need no join). A branch's positions are
# one organisation's, found by ix_position_org_*, so sorting them by name is a small sort.
PERSON_NAME = (
    sa.select(col(Person.name))
    .where(col(Person.id) == col(Position.person_id))
    .scalar_subquery()
    .label("person_name")
)

# The scope's branch is an organisation: ix_position_org_start serves the term orders there.
ORDERS: dict[PositionOrder, Ordering] = {
    PositionOrder.APPOINTED: Ordering([col(Position.id)]),
    PositionOrder.TERM_START_NEWEST: Ordering(
        [col(Position.start_date), col(Position.id)], descending=True
    ),
    PositionOrder.TERM_START_OLDEST: Ordering([col(Position.start_date), col(Position.id)]),
    # As the people's NAME order: A to Z, then by id (here the position's).
    PositionOrder.PERSON_NAME: Ordering([PERSON_NAME, col(Position.id)]),
}
# Orders by a key a Position row does not hold: their pages read the keys alongside.
JOINED_KEYS = {PositionOrder.PERSON_NAME}


@dataclass(frozen=True)
class PositionFilter:
    organisation_id: int | None = None
    person_id: int | None = None
    titles: list[PositionTitle] | None = None
    active_on: date | None = None
    subtree_of: int | None = None


def is_active(position: Position, day: date) -> bool:
    return in_force(position.start_date, position.end_date, day)


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Position]:
    return await visible_by_ids(ctx, Position, RESOURCE, ids)


async def list_positions(
    ctx: RequestContext,
    filter: PositionFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    order: PositionOrder = PositionOrder.APPOINTED,
) -> Page[Position]:
    query = await positions_page_query(
        ctx, filter, first, after, last=last, before=before, order=order
    )
    if order in JOINED_KEYS:
        return await read_page_with_keys(ctx, query)
    return await read_page(ctx, query, ORDERS[order].key_of)


async def positions_page_query(
    ctx: RequestContext,
    filter: PositionFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    order: PositionOrder = PositionOrder.APPOINTED,
) -> KeysetQuery:
    """The statements of the caller's page of positions (lists and compiled reads)."""
    return await ordered_page_query(
        ctx,
        RESOURCE,
        filter,
        lambda: _filtered(ctx, filter),
        ORDERS[order],
        Window(first, after, last, before),
        variant=order,
    )


async def _filtered(ctx: RequestContext, filter: PositionFilter) -> sa.Select[Position]:
    statement = position_rows(filter)
    if filter.subtree_of is not None:
        under = organisations_under(await subtree_root(ctx, filter.subtree_of))
        statement = statement.where(col(Position.organisation_id).in_(under))
    return statement


def position_rows(
    filter: PositionFilter,
    *,
    organisation: sa.ColumnElement[int] | None = None,
    person: sa.ColumnElement[int] | None = None,
) -> sa.Select[Position]:
    """The positions FILTER selects, but for its subtree (which reads the database) and the
    caller's scope (the list's branches): lists, and in compiled reads an organisation's or
    a person's positions (ORGANISATION, PERSON: the enclosing row's id)."""
    statement = sa.select(Position)
    if filter.organisation_id is not None:
        statement = statement.where(col(Position.organisation_id) == filter.organisation_id)
    if organisation is not None:
        statement = statement.where(col(Position.organisation_id) == organisation)
    if filter.person_id is not None:
        statement = statement.where(col(Position.person_id) == filter.person_id)
    if person is not None:
        statement = statement.where(col(Position.person_id) == person)
    if filter.titles:
        statement = statement.where(col(Position.title).in_(filter.titles))
    if filter.active_on is not None:
        statement = statement.where(active_on(filter.active_on))
    return statement


async def cross_appointed_ids(ctx: RequestContext, person_ids: list[int]) -> set[int]:
    """Among PERSON_IDS, those active today both in a party branch and in the owners'
    committee or supervisory board of a compound it serves (交叉任職), judged only on
    positions the caller may see."""
    if not person_ids:
        return set()
    visible = sa.select(col(Position.id)).where(ctx.auth.decide(RESOURCE, "read").where())
    branch_pos, other_pos = aliased(Position), aliased(Position)
    branch, other = aliased(Organisation), aliased(Organisation)
    day = ctx.today

    def active(p: type[Position]) -> sa.ColumnElement[bool]:
        return sa.and_(
            in_force_sql(col(p.start_date), col(p.end_date), day), col(p.id).in_(visible)
        )

    statement = (
        sa.select(col(branch_pos.person_id))
        .join(branch, col(branch.id) == branch_pos.organisation_id)
        .join(other_pos, col(other_pos.person_id) == branch_pos.person_id)
        .join(other, col(other.id) == other_pos.organisation_id)
        .where(
            col(branch_pos.person_id).in_(set(person_ids)),
            col(branch.kind) == OrganisationKind.PARTY_BRANCH,
            col(other.kind).in_(
                [OrganisationKind.OWNERS_COMMITTEE, OrganisationKind.SUPERVISORY_BOARD]
            ),
            # A compound the branch serves (its own, or a joint branch's grid's).
            col(other.compound_id).in_(compounds_served_by(col(branch.id))),
            active(branch_pos),
            active(other_pos),
        )
        .distinct()
    )
    return set((await ctx.read(statement)).scalars().all())
