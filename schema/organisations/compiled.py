"""The Organisation fields compiled reads build in SQL (schema/compiled)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import Organisation, OrganisationKind
from resolvers.context import RequestContext
from schema.audit.compiled import audit_trail
from schema.compiled.objects import ObjectSpec, Related, enum, global_id, plain, timestamp

ORGANISATION = ObjectSpec(
    "Organisation",
    {
        "id": global_id("Organisation", col(Organisation.id)),
        "name": plain(col(Organisation.name)),
        "kind": enum(col(Organisation.kind), OrganisationKind),
        "depth": plain(col(Organisation.depth)),
        "version": plain(col(Organisation.version)),
        "createdAt": timestamp(col(Organisation.created_at)),
        "updatedAt": timestamp(col(Organisation.updated_at)),
        "auditTrail": audit_trail("organisation", col(Organisation.id)),
    },
)


def readable_organisation(column: sa.SQLColumnExpression[int | None]) -> Related:
    """The organisation COLUMN names, if the caller may read it (as its loader reads it)."""

    def rows(ctx: RequestContext) -> sa.Select[Any]:
        return sa.select(Organisation).where(
            col(Organisation.id) == column, ctx.auth.decide("organisation", "read").where()
        )

    return rows
