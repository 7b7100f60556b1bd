"""The shape of a registry entry: a resource, the kinds of rows it covers, where a row lies.

The entries themselves are in policies/resource_entries.py and resource_entries_mechanisms.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from policies.conditions import TableScope

# A column of a table, in the form SQLAlchemy builds expressions from.
Column = sa.SQLColumnExpression[Any]


class UnknownAction(ValueError):
    """Code asked about a (resource, action) that policies/resources.py does not declare."""


@dataclass(frozen=True)
class Placement:
    """Which compound a row belongs to, read straight from the tables (the isolation tests'
    oracle): COLUMN names the compound, or with ORGANISATION an organisation the row lies in
    (its compound is the organisation's). JOINS reach COLUMN when it is in another table.
    A None COLUMN: the rows belong to no one compound (a firm's standing)."""

    column: Column | None
    organisation: bool = False
    joins: tuple[tuple[type[SQLModel], sa.ColumnElement[bool]], ...] = ()


@dataclass(frozen=True)
class RowKind:
    """One kind of row with an identity of its own: a GraphQL node (schema/<domain> registers
    it by NAME) and, when AUDITED, the `resource_type` audit entries name it by."""

    name: str
    table: type[SQLModel]
    placement: Placement
    audited: bool = True
    # The primary key, when it is not `id` (the audit log's `seq`).
    key: Column | None = None

    @property
    def id_column(self) -> Column:
        if self.key is not None:
            return self.key
        column: Column = self.table.id  # type: ignore[attr-defined]
        return column


@dataclass(frozen=True)
class Resource:
    """What a policy row's resource is: the table its scope filters in SQL, the actions code
    may ask about (each needs a row in policy.csv), and the kinds of rows read under its
    `read`: the table's own rows first, then rows that belong to them (an issue's timeline).
    No rows: it reads another resource's rows in a different way (indicators, points)."""

    name: str
    table: type[SQLModel]
    scope: TableScope
    actions: frozenset[str]
    rows: tuple[RowKind, ...] = ()
