"""Organisations: the city tree and the bodies inside each compound."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, OrganisationKind
from db.paths import ROOT, any_subtree_clause, child_path
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord, run_mutation
from resolvers.common import (
    check_version,
    locked,
    scoped,
    subtree_root,
    visible_by_ids,
    visible_one,
)
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.organisations.rules import ALLOWED_PARENTS, ONE_PER_COMPOUND, kind_names
from resolvers.pagination import Page, keyset_page

RESOURCE = "organisation"


@dataclass(frozen=True)
class OrganisationFilter:
    kinds: list[OrganisationKind] | None = None
    parent_id: int | None = None
    compound_id: int | None = None
    subtree_of: int | None = None
    name_contains: str | None = None


@dataclass(frozen=True)
class CreateOrganisation:
    name: str
    kind: OrganisationKind
    parent_id: int | None


@dataclass(frozen=True)
class UpdateOrganisation:
    id: int
    name: str | None = None
    expected_version: int | None = None


def clean_name(name: str, what: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadUserInput(f"The {what} must not be empty.")
    if len(cleaned) > 200:
        raise BadUserInput(f"The {what} must be at most 200 characters.")
    return cleaned


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Organisation]:
    return await visible_by_ids(ctx, Organisation, RESOURCE, ids)


async def list_organisations(
    ctx: RequestContext, filter: OrganisationFilter, first: int | None, after: str | None
) -> Page[Organisation]:
    statement = scoped(ctx, Organisation, RESOURCE)
    if filter.kinds:
        statement = statement.where(col(Organisation.kind).in_(filter.kinds))
    if filter.parent_id is not None:
        statement = statement.where(col(Organisation.parent_id) == filter.parent_id)
    if filter.compound_id is not None:
        statement = statement.where(col(Organisation.compound_id) == filter.compound_id)
    if filter.subtree_of is not None:
        roots = await subtree_root(ctx, filter.subtree_of)
        statement = statement.where(any_subtree_clause(col(Organisation.path), roots))
    if filter.name_contains:
        statement = statement.where(
            col(Organisation.name).contains(filter.name_contains, autoescape=True)
        )
    return await keyset_page(
        ctx,
        statement,
        keys=[col(Organisation.name), col(Organisation.id)],
        key_of=lambda o: (o.name, o.id),
        first=first,
        after=after,
    )


async def create_organisation(ctx: RequestContext, data: CreateOrganisation) -> Organisation:
    async def handler(session: AsyncSession, record: AuditRecord) -> Organisation:
        name = clean_name(data.name)
        parent: Organisation | None = None
        if data.parent_id is not None:
            parent = await visible_one(
                ctx, session, Organisation, RESOURCE, data.parent_id, "parent organisation"
            )
        record.target(None, parent.id if parent else None, parent.path if parent else ROOT)
        decision = ctx.auth.decide(RESOURCE, "create")
        record.authorize(
            decision,
            RowFacts(paths=(parent.path if parent else ROOT,)),
            "create organisations here",
        )
        allowed = ALLOWED_PARENTS[data.kind]
        parent_kind = parent.kind if parent else None
        if parent_kind not in allowed:
            where = f"under a {parent_kind.value}" if parent_kind else "at the top of the tree"
            raise BadUserInput(
                f"A {data.kind.value} cannot sit {where}; it belongs under: {kind_names(allowed)}."
            )
        compound_id = parent.compound_id if parent else None
        if data.kind in ONE_PER_COMPOUND and parent is not None:
            existing = await session.execute(
                sa.select(col(Organisation.id)).where(
                    col(Organisation.compound_id) == parent.id, col(Organisation.kind) == data.kind
                )
            )
            if existing.first() is not None:
                raise Conflict(f"This compound already has a {data.kind.value}.")
        organisation = Organisation(
            name=name,
            kind=data.kind,
            parent_id=parent.id if parent else None,
            path=f"{parent.path if parent else ROOT}new/",
            depth=(parent.depth + 1) if parent else 0,
            compound_id=compound_id,
        )
        session.add(organisation)
        await session.flush()
        assert organisation.id is not None
        organisation.path = child_path(parent.path if parent else None, organisation.id)
        if data.kind is OrganisationKind.COMPOUND:
            organisation.compound_id = organisation.id
        await session.flush()
        record.target(organisation.id, organisation.id, organisation.path)
        for field in ("name", "kind", "parent_id", "compound_id", "path"):
            record.change(field, None, getattr(organisation, field))
        return organisation

    return await run_mutation(
        ctx,
        operation="createOrganisation",
        resource_type=RESOURCE,
        input=vars(data),
        handler=handler,
    )


async def update_organisation(ctx: RequestContext, data: UpdateOrganisation) -> Organisation:
    async def handler(session: AsyncSession, record: AuditRecord) -> Organisation:
        await visible_one(ctx, session, Organisation, RESOURCE, data.id, "organisation")
        organisation = await locked(session, Organisation, data.id, "organisation")
        record.target(organisation.id, organisation.id, organisation.path)
        record.authorize(
            ctx.auth.decide(RESOURCE, "update"),
            RowFacts(paths=(organisation.path,)),
            "change this organisation",
        )
        check_version(organisation, data.expected_version, "organisation")
        if data.name is not None:
            name = clean_name(data.name)
            record.change("name", organisation.name, name)
            organisation.name = name
        if record.changes:
            organisation.version += 1
            organisation.updated_at = utcnow()
        await session.flush()
        return organisation

    return await run_mutation(
        ctx,
        operation="updateOrganisation",
        resource_type=RESOURCE,
        input=vars(data),
        handler=handler,
    )
