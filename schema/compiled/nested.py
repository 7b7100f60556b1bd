"""A connection inside a compiled object (`Issue.timeline(first: 20)`), built by correlated
subqueries: the page's edges in the key's order, pageInfo and totalCount, as the resolver's
keyset page over the same rows gives them (resolvers/pagination.py page_of) and with its
cursors, byte for byte.

Only a first page compiles: `first` a literal in range, or absent (the default size). A
variable (the kept plan would freeze its value), a cursor, `last` or a `first` the resolver
refuses leaves the whole root field to the resolvers, which answer or refuse it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from graphql import IntValueNode
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from resolvers.context import RequestContext
from resolvers.cursors import connection_tag
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.compiled.connection import check_connection
from schema.compiled.objects import Build, ObjectSpec, ReadsArguments, compile_object
from schema.compiled.selection import NotCompilable, Selected


def _size(selected: Selected) -> int:
    size = DEFAULT_PAGE_SIZE
    for argument in selected.node.arguments or ():
        value = argument.value
        if argument.name.value != "first" or not isinstance(value, IntValueNode):
            raise NotCompilable(f"{selected.name}({argument.name.value}: ...)")
        size = int(value.value)
    if not 0 <= size <= MAX_PAGE_SIZE:
        raise NotCompilable(f"{selected.name}(first: {size})")
    return size


@dataclass(frozen=True)
class NestedConnection(ReadsArguments):
    """TARGET's rows ROWS selects (correlated to the enclosing row, scoped as the resolver
    reads them), paged forward by KEY (ascending, unique) as the resolver pages them."""

    target: Callable[[], ObjectSpec]
    rows: Callable[[RequestContext], sa.Select[Any]]
    key: sa.ColumnElement[int]

    def __call__(self, build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
        size = _size(selected)
        check_connection(selected.children)
        rows = self.rows(build.ctx)
        inner = Build(build.ctx, build.json, build.masks, build.depth + 1)
        tag = connection_tag([self.key], False)
        pairs: list[tuple[str, sa.SQLColumnExpression[Any]]] = []
        for item in selected.children:
            if item.name == "edges":
                value = self._edges(inner, item, rows, size, tag)
            elif item.name == "pageInfo":
                value = self._page_info(inner, item, rows, size, tag)
            elif item.name == "totalCount":
                value = rows.with_only_columns(sa.func.count()).scalar_subquery()
            else:  # __typename
                value = _name(selected)
            pairs.append((item.key, value))
        return build.json.object(pairs)

    def _page(self, rows: sa.Select[Any], size: int, *columns: Any) -> sa.Subquery:
        # A derived table correlates only when told to (else it reads every enclosing row).
        page = rows.with_only_columns(*columns).order_by(self.key).limit(size)
        return page.correlate_except(self.key.table).subquery()

    def _edges(
        self, build: Build, item: Selected, rows: sa.Select[Any], size: int, tag: str
    ) -> sa.SQLColumnExpression[Any]:
        pairs: list[tuple[str, sa.SQLColumnExpression[Any]]] = []
        for part in item.children:
            if part.name == "cursor":
                pairs.append((part.key, build.json.cursor(tag, self.key)))
            elif part.name == "node":
                pairs.append((part.key, compile_object(build, self.target(), part.children)))
            else:  # __typename
                pairs.append((part.key, _name(item)))
        page = self._page(rows, size, self.key.label("k"), build.json.object(pairs).label("e"))
        if build.json.postgres:
            edges: ColumnElement[Any] = sa.func.coalesce(
                sa.func.json_agg(aggregate_order_by(page.c.e, page.c.k)), build.json.literal("[]")
            )
        else:  # rows leave an ordered, limited subquery in its order (it is not flattened)
            edges = sa.func.json_group_array(sa.func.json(page.c.e))
        return build.json.nested(sa.select(edges).select_from(page).scalar_subquery())

    def _page_info(
        self, build: Build, item: Selected, rows: sa.Select[Any], size: int, tag: str
    ) -> sa.SQLColumnExpression[Any]:
        # Forward from the start: a previous page never; a next one when a row follows.
        following = rows.with_only_columns(self.key).order_by(self.key).limit(1).offset(size)
        keys = self._page(rows, size, self.key.label("k"))
        first = sa.select(sa.func.min(keys.c.k)).select_from(keys).scalar_subquery()
        last = sa.select(sa.func.max(keys.c.k)).select_from(keys).scalar_subquery()
        values: dict[str, sa.SQLColumnExpression[Any]] = {
            "hasNextPage": build.json.boolean(following.exists()),
            "hasPreviousPage": build.json.literal("false"),
            "startCursor": build.json.cursor(tag, first),
            "endCursor": build.json.cursor(tag, last),
            "__typename": sa.literal_column("'PageInfo'", sa.Text),
        }
        return build.json.object([(part.key, values[part.name]) for part in item.children])


def _name(item: Selected) -> sa.SQLColumnExpression[Any]:
    assert item.type is not None
    return sa.literal_column(f"'{item.type.name}'", sa.Text)
