"""Which compound each object belongs to, read straight from the tables.

The matrix's oracle: an object of compound X must never reach a caller whose
scope does not include X, by any path. Objects that belong to no compound (the
city's levels, firms, partner units) are not compound data and are left to the
policy tests. The map is built from the placements policies/resources.py
declares for each row kind, keyed by the GraphQL type each kind's domain
registers; a node type missing here fails the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.orm import aliased

import schema.schema  # noqa: F401  (every domain registers its node types on import)
from db.models import Organisation, OrganisationKind
from policies.resource_types import RowKind
from policies.resources import RESOURCE_OF_KIND, ROW_KINDS
from schema.common.nodes import NODES_BY_KIND

Org = aliased(Organisation)
CompoundSelect = Callable[[], sa.Select[tuple[int, int | None]]]


def _compound_of_org(org: type[Organisation]) -> sa.ColumnElement[int | None]:
    """An organisation's compound: itself when it is one, else the compound it lies in."""
    return sa.func.coalesce(
        org.compound_id, sa.case((org.kind == OrganisationKind.COMPOUND, org.id), else_=None)
    )


def compound_select(kind: RowKind) -> sa.Select[tuple[int, int | None]]:
    """SELECT (database id, compound id) over every row of KIND."""
    placement = kind.placement
    if placement.column is None:
        return sa.select(kind.id_column, sa.null())
    compound = _compound_of_org(Org) if placement.organisation else placement.column
    statement = sa.select(kind.id_column, compound).select_from(kind.table)
    for table, on in placement.joins:
        statement = statement.join(table, on)
    if placement.organisation:
        statement = statement.join(Org, Org.id == placement.column)
    return statement


def _selector(kind: RowKind) -> CompoundSelect:
    return lambda: compound_select(kind)


# GraphQL type -> SELECT (database id, compound id) over all its rows.
COMPOUND_OF: Mapping[str, CompoundSelect] = {
    node.type_name: _selector(ROW_KINDS[kind]) for kind, node in NODES_BY_KIND.items()
}

# GraphQL type -> the policy resource whose read permission decides who sees it.
RESOURCE_OF: Mapping[str, str] = {
    node.type_name: RESOURCE_OF_KIND[kind] for kind, node in NODES_BY_KIND.items()
}
