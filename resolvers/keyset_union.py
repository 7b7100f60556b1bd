"""The keyset page of a list whose scope is an OR of branches: each branch read in its own
index order, the page their merge (one OR would make the database filter a whole index)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa


def merged_statements(
    statement: sa.Select[Any],
    keys: Sequence[sa.SQLColumnExpression[Any]],
    direction: Callable[[Any], Any],
    cursor: sa.ColumnElement[bool] | None,
    branches: Sequence[sa.ColumnElement[bool]],
    size: int,
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The page from a UNION of each branch's first SIZE + 1 keys (a row two branches allow
    comes once), joined back to the rows; the count as the size of the union of their
    primary keys. Only keys go through the UNION: PostgreSQL cannot compare JSON columns."""
    entity = statement.column_descriptions[0]["entity"]
    primary = list(sa.inspect(entity).primary_key)
    key_names = {key_name(key) for key in keys}
    carried = [*keys, *(column for column in primary if column.name not in key_names)]
    tops = []
    for branch in branches:
        top = statement.where(branch).with_only_columns(*carried)
        if cursor is not None:
            top = top.where(cursor)
        # Each branch in a subquery of its own: SQLite allows no ORDER BY / LIMIT on the
        # members of a compound SELECT.
        top = top.order_by(*(direction(k) for k in keys)).limit(size + 1)
        tops.append(sa.select(top.subquery()))
    union = sa.union(*tops).subquery()
    joined = sa.and_(*(column == union.c[key_name(column)] for column in primary))
    page = (
        sa.select(entity)
        .join(union, joined)
        .order_by(*(direction(union.c[key_name(k)]) for k in keys))
        .limit(size + 1)
    )
    ids = sa.union(*(statement.where(b).with_only_columns(*primary) for b in branches))
    count = sa.select(sa.func.count()).select_from(ids.subquery())
    return page, count


def key_name(key: sa.SQLColumnExpression[Any]) -> str:
    name = getattr(key, "key", None) or getattr(key, "name", None)
    if not isinstance(name, str):
        raise TypeError(f"a keyset key must be a named column: {key!r}")
    return name
