"""The Organisation fields compiled reads build in SQL (schema/compiled); an
organisation's children are the organisations list's own rows under it (by name), its
positions the positions list's (schema/positions/nested.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import col

from db.models import Organisation, OrganisationKind
from resolvers.context import RequestContext
from resolvers.organisations.queries import (
    ORDERS,
    OrganisationFilter,
    OrganisationOrder,
    organisation_rows,
)
from schema.audit.compiled import audit_trail
from schema.compiled.nested import NestedConnection
from schema.compiled.objects import ObjectSpec, Related, enum, global_id, plain, timestamp
from schema.compiled.own_table import OwnTable
from schema.positions.nested import positions_of

_OWN = OwnTable(Organisation.__table__)  # type: ignore[attr-defined]


def _children(ctx: RequestContext, given: Mapping[str, Any]) -> sa.Select[Any]:
    # As the resolver's children: the organisations list filtered by parent and kinds.
    kinds = given.get("kinds")
    if isinstance(kinds, str):  # a list argument given one value
        kinds = [kinds]
    filter = OrganisationFilter(kinds=[OrganisationKind[kind] for kind in kinds or ()] or None)
    return organisation_rows(ctx, filter, parent=_OWN.enclosing(col(Organisation.id)))


ORGANISATION: ObjectSpec = ObjectSpec(
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
        "children": NestedConnection(
            lambda: ORGANISATION,
            _children,
            [cast(sa.ColumnElement[Any], key) for key in ORDERS[OrganisationOrder.NAME].keys],
            filters=frozenset({"kinds"}),
            own_table=_OWN,
        ),
        "positions": positions_of(
            organisation=col(Organisation.id), filters=frozenset({"activeOn", "titles"})
        ),
    },
)


def readable_organisation(column: sa.SQLColumnExpression[int | None]) -> Related:
    """The organisation COLUMN names, if the caller may read it (as its loader reads it)."""

    def rows(ctx: RequestContext) -> sa.Select[Any]:
        # Its own reading of the table, also below a row of it (a organisation's positions).
        statement = sa.select(Organisation).where(
            col(Organisation.id) == column, ctx.auth.decide("organisation", "read").where()
        )
        return statement.correlate_except(Organisation)

    return rows
