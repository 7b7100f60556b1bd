"""A connection inside a compiled object (`Issue.timeline(first: 20, after: $cursor)`,
`auditTrail`), built by correlated subqueries: the page's edges in the key's order,
pageInfo and totalCount, as the resolver's keyset page over the same rows gives them
(resolvers/pagination.py page_of) and with its cursors, byte for byte.

A page compiles either way: `first` and `after`, or `last` and `before`, literals or
variables, bound per request (schema/compiled/pages.py, which leaves a page the resolver
refuses to the resolvers). A document giving both ways, whose direction only its values
decide, leaves the whole root field to the resolvers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from resolvers.context import RequestContext
from resolvers.cursors import connection_tag
from schema.compiled.connection import check_connection
from schema.compiled.objects import Build, ObjectSpec, ReadsArguments, compile_object
from schema.compiled.pages import PageArguments
from schema.compiled.selection import NotCompilable, Selected

FORWARD = ("first", "after")
BACKWARD = ("last", "before")


@dataclass(frozen=True)
class NestedConnection(ReadsArguments):
    """TARGET's rows ROWS selects (correlated to the enclosing row, scoped as the resolver
    reads them), in KEY's order (unique; DESCENDING or not), paged either way as the
    resolver pages them."""

    target: Callable[[], ObjectSpec]
    rows: Callable[[RequestContext], sa.Select[Any]]
    key: sa.ColumnElement[int]
    descending: bool = False

    def __call__(self, build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
        check_connection(selected.children)
        page = self._page_arguments(build, selected)
        # Every row (totalCount), and those past the cursor the way the page reads (against
        # the list's order for a backward page); no cursor: all of them.
        every = self.rows(build.ctx)
        reading = self._reading(page)
        past = self.key < page.cursor if reading else self.key > page.cursor
        rows = every.where(sa.or_(page.cursor.is_(None), past))
        inner = build.inner()
        pairs: list[tuple[str, sa.SQLColumnExpression[Any]]] = []
        for item in selected.children:
            if item.name == "edges":
                value = self._edges(inner, item, rows, page)
            elif item.name == "pageInfo":
                value = self._page_info(inner, item, rows, page)
            elif item.name == "totalCount":
                value = self._correlated(every.with_only_columns(sa.func.count())).scalar_subquery()
            else:  # __typename
                value = _name(selected)
            pairs.append((item.key, value))
        return build.json.object(pairs)

    def _page_arguments(self, build: Build, selected: Selected) -> PageArguments:
        """The page's size and cursor as bind parameters this plan's requests give values."""
        given = {argument.name.value: argument.value for argument in selected.node.arguments or ()}
        backward = not given.keys() <= set(FORWARD)
        count, start = BACKWARD if backward else FORWARD
        if not given.keys() <= {count, start}:
            raise NotCompilable(f"{selected.name}({', '.join(sorted(given))})")
        number = len(build.pages)
        page = PageArguments(
            selected.name,
            given.get(count),
            given.get(start),
            backward,
            sa.bindparam(f"nested_{number}_size", type_=sa.Integer),
            sa.bindparam(f"nested_{number}_cursor", type_=self.key.type),
            self.key,
            connection_tag([self.key], self.descending),
        )
        build.pages.append(page)
        return page

    def _reading(self, page: PageArguments) -> bool:
        """Whether PAGE reads its rows in descending key order."""
        return self.descending != page.backward

    @staticmethod
    def _order(key: sa.ColumnElement[Any], descending: bool) -> sa.ColumnElement[Any]:
        return key.desc() if descending else key.asc()

    def _correlated(self, rows: sa.Select[Any]) -> sa.Select[Any]:
        # Correlated to the enclosing row only: every table but the list's own.
        return rows.correlate_except(self.key.table)

    def _page(self, rows: sa.Select[Any], page: PageArguments, *columns: Any) -> sa.Subquery:
        # A derived table correlates only when told to (else it reads every enclosing row).
        ordered = rows.with_only_columns(*columns).order_by(
            self._order(self.key, self._reading(page))
        )
        return self._correlated(ordered.limit(page.size)).subquery()

    def _edges(
        self, build: Build, item: Selected, rows: sa.Select[Any], page: PageArguments
    ) -> sa.SQLColumnExpression[Any]:
        pairs: list[tuple[str, sa.SQLColumnExpression[Any]]] = []
        for part in item.children:
            if part.name == "cursor":
                pairs.append((part.key, build.json.cursor(page.tag, self.key)))
            elif part.name == "node":
                pairs.append((part.key, compile_object(build, self.target(), part.children)))
            else:  # __typename
                pairs.append((part.key, _name(item)))
        keyed = self._page(rows, page, self.key.label("k"), build.json.object(pairs).label("e"))
        # The edges in the list's order, whichever way the page was read.
        listed = self._order(keyed.c.k, self.descending)
        if build.json.postgres:
            edges: ColumnElement[Any] = sa.func.coalesce(
                sa.func.json_agg(aggregate_order_by(keyed.c.e, listed)), build.json.literal("[]")
            )
        else:
            # Rows leave an ordered subquery in its order (an aggregate does not flatten it).
            if page.backward:
                keyed = sa.select(keyed.c.k, keyed.c.e).order_by(listed).subquery()
            edges = sa.func.json_group_array(sa.func.json(keyed.c.e))
        return build.json.nested(sa.select(edges).select_from(keyed).scalar_subquery())

    def _page_info(
        self, build: Build, item: Selected, rows: sa.Select[Any], page: PageArguments
    ) -> sa.SQLColumnExpression[Any]:
        # A row beyond the page the way it reads: a next page forward, a previous one
        # backward; a cursor given says there is something on its side (page_of: Relay's).
        beyond = rows.with_only_columns(self.key).order_by(
            self._order(self.key, self._reading(page))
        )
        beyond = self._correlated(beyond.limit(1).offset(page.size))
        more = build.json.boolean(beyond.exists())
        given = build.json.boolean(page.cursor.is_not(None))
        keys = self._page(rows, page, self.key.label("k"))
        low = sa.select(sa.func.min(keys.c.k)).select_from(keys).scalar_subquery()
        high = sa.select(sa.func.max(keys.c.k)).select_from(keys).scalar_subquery()
        first, last = (high, low) if self.descending else (low, high)
        values: dict[str, sa.SQLColumnExpression[Any]] = {
            "hasNextPage": given if page.backward else more,
            "hasPreviousPage": more if page.backward else given,
            "startCursor": build.json.cursor(page.tag, first),
            "endCursor": build.json.cursor(page.tag, last),
            "__typename": sa.literal_column("'PageInfo'", sa.Text),
        }
        return build.json.object([(part.key, values[part.name]) for part in item.children])


def _name(item: Selected) -> sa.SQLColumnExpression[Any]:
    assert item.type is not None
    return sa.literal_column(f"'{item.type.name}'", sa.Text)
