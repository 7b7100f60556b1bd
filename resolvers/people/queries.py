"""Reading people: the residents' directory, with sensitive fields behind their own permissions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, PartyMembership, Person, Position
from db.paths import ROOT
from policies.conditions import RowFacts
from policies.grants import active_on
from policies.subtrees import organisations_under
from resolvers.common import subtree_root, visible_by_ids
from resolvers.context import RequestContext
from resolvers.kept_pages import ordered_page_query
from resolvers.pagination import KeysetQuery, Ordering, Page, Window, read_page

RESOURCE = "person"


class PersonOrder(StrEnum):
    NAME = "NAME"
    NEWEST = "NEWEST"


# Each served by an index per scope branch (ix_person_residence*) and over the city.
ORDERS: dict[PersonOrder, Ordering] = {
    PersonOrder.NAME: Ordering([col(Person.name), col(Person.id)]),
    PersonOrder.NEWEST: Ordering([col(Person.created_at), col(Person.id)], descending=True),
}


@dataclass(frozen=True)
class PersonFilter:
    compound_id: int | None = None
    building_id: int | None = None
    subtree_of: int | None = None
    holds_position_in: int | None = None
    party_membership: PartyMembership | None = None
    name_contains: str | None = None


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Person]:
    return await visible_by_ids(ctx, Person, RESOURCE, ids)


async def list_people(
    ctx: RequestContext,
    filter: PersonFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    order: PersonOrder = PersonOrder.NAME,
) -> Page[Person]:
    query = await people_page_query(
        ctx, filter, first, after, last=last, before=before, order=order
    )
    return await read_page(ctx, query, ORDERS[order].key_of)


async def people_page_query(
    ctx: RequestContext,
    filter: PersonFilter,
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    order: PersonOrder = PersonOrder.NAME,
) -> KeysetQuery:
    """The statements of the caller's page of people (lists and compiled reads share it)."""
    return await ordered_page_query(
        ctx,
        RESOURCE,
        filter,
        lambda: _filtered(ctx, filter),
        ORDERS[order],
        Window(first, after, last, before),
        variant=order,
    )


async def _filtered(ctx: RequestContext, filter: PersonFilter) -> sa.Select[Person]:
    statement = sa.select(Person)
    if filter.compound_id is not None:
        statement = statement.where(col(Person.residence_compound_id) == filter.compound_id)
    if filter.building_id is not None:
        statement = statement.where(col(Person.residence_building_id) == filter.building_id)
    if filter.subtree_of is not None:
        under = organisations_under(await subtree_root(ctx, filter.subtree_of))
        statement = statement.where(col(Person.residence_compound_id).in_(under))
    if filter.holds_position_in is not None:
        holders = sa.select(col(Position.person_id)).where(
            col(Position.organisation_id) == filter.holds_position_in, active_on(ctx.today)
        )
        statement = statement.where(col(Person.id).in_(holders))
    if filter.party_membership is not None:
        # Filtering on membership reveals it: only over people whose party details the
        # caller may read (person:read_party), as if the field were selected.
        statement = statement.where(
            col(Person.party_membership) == filter.party_membership,
            ctx.auth.decide(RESOURCE, "read_party").where(),
        )
    if filter.name_contains:
        statement = statement.where(
            col(Person.name).contains(filter.name_contains, autoescape=True)
        )
    return statement


async def residence_path(session: AsyncSession, person: Person) -> str | None:
    if person.residence_compound_id is None:
        return None
    return (
        await session.execute(
            sa.select(col(Organisation.path)).where(
                col(Organisation.id) == person.residence_compound_id
            )
        )
    ).scalar_one_or_none()


def person_facts(person: Person, path: str | None) -> RowFacts:
    """A person sits at their residence compound; one with no residence sits at the root."""
    return RowFacts(paths=(path or ROOT,), owner_person_id=person.id)


SENSITIVE_ACTIONS = ("read_phone", "read_id_number", "read_party")


async def ids_allowed(ctx: RequestContext, action: str, ids: list[int]) -> set[int]:
    """Which of IDS the caller may ACTION (a sensitive-field read), decided in SQL in one query."""
    if action not in SENSITIVE_ACTIONS:
        raise ValueError(f"not a sensitive-field action: {action}")
    decision = ctx.auth.decide(RESOURCE, action)
    if not decision.allowed_somewhere or not ids:
        return set()
    statement = sa.select(col(Person.id)).where(col(Person.id).in_(set(ids)), decision.where())
    return set((await ctx.read(statement)).scalars().all())
