"""Changing organisations: creating them under a parent that fits, renaming them; each audited."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, OrganisationKind
from db.paths import ROOT, child_path
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict
from resolvers.i18n import coded, tr
from resolvers.mutations import Mutation, RowMutation, bump, organisation_place
from resolvers.organisations.queries import RESOURCE
from resolvers.organisations.rules import ALLOWED_PARENTS, ONE_PER_COMPOUND, kind_names
from resolvers.text import clean_name


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


CREATE_ORGANISATION = Mutation(
    operation="createOrganisation",
    resource=RESOURCE,
    action="create",
    what=tr("create organisations here"),
    needs=" over the parent (admin; a secretary inside their compound)",
)
UPDATE_ORGANISATION = RowMutation(
    operation="updateOrganisation",
    resource=RESOURCE,
    action="update",
    what=tr("change this organisation"),
    needs=" over it",
    model=Organisation,
    noun=tr("organisation"),
    locate=organisation_place,
    checks_version=True,
)


async def create_organisation(ctx: RequestContext, data: CreateOrganisation) -> Organisation:
    """Not a CreateMutation: a top-level organisation has no parent to find."""

    async def handler(session: AsyncSession, record: AuditRecord) -> Organisation:
        name = clean_name(data.name)
        parent: Organisation | None = None
        if data.parent_id is not None:
            parent = await visible_one(
                ctx, session, Organisation, RESOURCE, data.parent_id, tr("parent organisation")
            )
        record.target(None, parent.id if parent else None, parent.path if parent else ROOT)
        CREATE_ORGANISATION.authorize(
            ctx, record, RowFacts(paths=(parent.path if parent else ROOT,))
        )
        allowed = ALLOWED_PARENTS[data.kind]
        parent_kind = parent.kind if parent else None
        if parent_kind not in allowed:
            where = (
                tr("under a {kind}", kind=coded(parent_kind))
                if parent_kind
                else tr("at the top of the tree")
            )
            raise BadUserInput(
                tr(
                    "A {kind} cannot sit {where}; it belongs under: {parents}.",
                    kind=coded(data.kind),
                    where=where,
                    parents=kind_names(allowed),
                )
            )
        compound_id = parent.compound_id if parent else None
        if data.kind in ONE_PER_COMPOUND and parent is not None:
            # One per compound; a grid's joint branch (聯合黨支部) lies in no compound, so one
            # per grid is counted among the grid's children.
            in_grid = parent.kind is OrganisationKind.GRID
            same_place = (
                col(Organisation.parent_id) == parent.id
                if in_grid
                else col(Organisation.compound_id) == parent.id
            )
            existing = await session.execute(
                sa.select(col(Organisation.id)).where(
                    same_place, col(Organisation.kind) == data.kind
                )
            )
            if existing.first() is not None:
                if in_grid:
                    raise Conflict(tr("This grid already has a {kind}.", kind=coded(data.kind)))
                raise Conflict(tr("This compound already has a {kind}.", kind=coded(data.kind)))
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

    return await CREATE_ORGANISATION.run(ctx, data, handler)


async def update_organisation(ctx: RequestContext, data: UpdateOrganisation) -> Organisation:
    async def apply(
        session: AsyncSession, organisation: Organisation, record: AuditRecord
    ) -> Organisation:
        if data.name is not None:
            name = clean_name(data.name)
            record.change("name", organisation.name, name)
            organisation.name = name
        if record.changes:
            bump(organisation)
        await session.flush()
        return organisation

    return await UPDATE_ORGANISATION.on(
        ctx, data.id, apply, data=data, expected_version=data.expected_version
    )
