"""A connection inside a compiled object (`Issue.timeline(first: 20, after: $cursor)`,
`auditTrail`, `Organisation.children`), built by correlated subqueries: the page's edges in
the keys' order, pageInfo and totalCount, as the resolver's keyset page over the same rows
gives them (resolvers/pagination.py page_of) and with its cursors, byte for byte.

A page compiles either way: `first` and `after`, or `last` and `before`, literals or
variables, bound per request (schema/compiled/pages.py, which leaves a page the resolver
refuses to the resolvers). A document giving both ways, whose direction only its values
decide, leaves the whole root field to the resolvers. A filter argument compiles when the
document spells it (schema/compiled/literals.py); given by a variable, it is the
resolvers'.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import ColumnElement

from resolvers.context import RequestContext
from resolvers.cursors import connection_tag
from schema.compiled.connection import check_connection
from schema.compiled.literals import literal_arguments
from schema.compiled.objects import Build, ObjectSpec, ReadsArguments, compile_object
from schema.compiled.own_table import OwnTable
from schema.compiled.pages import PageArguments
from schema.compiled.selection import NotCompilable, Selected

FORWARD = ("first", "after")
BACKWARD = ("last", "before")

# The rows of a nested connection for a caller and the filter arguments the document
# spells (by name, as plain values: enum members by name); correlated to the enclosing row.
Rows = Callable[[RequestContext, Mapping[str, Any]], sa.Select[Any]]


@dataclass(frozen=True)
class NestedConnection(ReadsArguments):
    """TARGET's rows ROWS selects (correlated to the enclosing row, scoped as the resolver
    reads them, filtered by the arguments FILTERS names), in the order of KEYS (unique
    together, all DESCENDING or not), paged either way as the resolver pages them.

    With OWN_TABLE (the rows are of the enclosing row's own table: an organisation's
    children), ROWS reads the enclosing row through it and the rows are read through an
    alias of the table."""

    target: Callable[[], ObjectSpec]
    rows: Rows
    keys: Sequence[sa.ColumnElement[Any]]
    descending: bool = False
    filters: frozenset[str] = frozenset()
    own_table: OwnTable | None = None

    def __call__(self, build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
        check_connection(selected.children)
        page = self._page_arguments(build, selected)
        given = literal_arguments(selected, self.filters)
        # Every row (totalCount), and those past the cursor the way the page reads (against
        # the list's order for a backward page); no cursor: all of them.
        every = self.rows(build.ctx, given)
        rows = every.where(sa.or_(page.cursor[0].is_(None), self._past(page)))
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
        connection = build.json.object(pairs)
        return connection if self.own_table is None else self.own_table.aliased(connection)

    def _page_arguments(self, build: Build, selected: Selected) -> PageArguments:
        """The page's size and cursor as bind parameters this plan's requests give values."""
        given = {
            argument.name.value: argument.value
            for argument in selected.node.arguments or ()
            if argument.name.value not in self.filters
        }
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
            tuple(
                sa.bindparam(f"nested_{number}_cursor_{position}", type_=key.type)
                for position, key in enumerate(self.keys)
            ),
            tuple(self.keys),
            connection_tag(self.keys, self.descending),
        )
        build.pages.append(page)
        return page

    def _past(self, page: PageArguments) -> ColumnElement[bool]:
        """The rows past PAGE's cursor, the way it reads them."""
        if len(self.keys) == 1:
            keys: ColumnElement[Any] = self.keys[0]
            cursor: ColumnElement[Any] = page.cursor[0]
        else:
            keys, cursor = sa.tuple_(*self.keys), sa.tuple_(*page.cursor)
        return keys < cursor if self._reading(page) else keys > cursor

    def _reading(self, page: PageArguments) -> bool:
        """Whether PAGE reads its rows in descending key order."""
        return self.descending != page.backward

    @staticmethod
    def _order(keys: Sequence[Any], descending: bool) -> list[ColumnElement[Any]]:
        return [key.desc() if descending else key.asc() for key in keys]

    def _correlated(self, rows: sa.Select[Any]) -> sa.Select[Any]:
        # Correlated to the enclosing row only: every table but the list's own.
        return rows.correlate_except(self.keys[0].table)

    def _keyed(self, keyed: sa.Subquery) -> list[sa.ColumnElement[Any]]:
        return [keyed.c[f"k{position}"] for position in range(len(self.keys))]

    def _page(self, rows: sa.Select[Any], page: PageArguments, *columns: Any) -> sa.Subquery:
        """The page's keys (k0, k1, ...) and COLUMNS, read the way the page reads."""
        # A derived table correlates only when told to (else it reads every enclosing row).
        keys = [key.label(f"k{position}") for position, key in enumerate(self.keys)]
        ordered = rows.with_only_columns(*keys, *columns).order_by(
            *self._order(self.keys, self._reading(page))
        )
        return self._correlated(ordered.limit(page.size)).subquery()

    def _edges(
        self, build: Build, item: Selected, rows: sa.Select[Any], page: PageArguments
    ) -> sa.SQLColumnExpression[Any]:
        pairs: list[tuple[str, sa.SQLColumnExpression[Any]]] = []
        for part in item.children:
            if part.name == "cursor":
                pairs.append((part.key, build.json.cursor(page.tag, self.keys)))
            elif part.name == "node":
                pairs.append((part.key, compile_object(build, self.target(), part.children)))
            else:  # __typename
                pairs.append((part.key, _name(item)))
        keyed = self._page(rows, page, build.json.object(pairs).label("e"))
        # The edges in the list's order, whichever way the page was read.
        listed = self._order(self._keyed(keyed), self.descending)
        if build.json.postgres:
            edges: ColumnElement[Any] = sa.func.coalesce(
                sa.func.json_agg(aggregate_order_by(keyed.c.e, *listed)), build.json.literal("[]")
            )
        else:
            # Rows leave an ordered subquery in its order (an aggregate does not flatten it).
            if page.backward:
                keyed = sa.select(keyed).order_by(*listed).subquery()
            edges = sa.func.json_group_array(sa.func.json(keyed.c.e))
        return build.json.nested(sa.select(edges).select_from(keyed).scalar_subquery())

    def _page_info(
        self, build: Build, item: Selected, rows: sa.Select[Any], page: PageArguments
    ) -> sa.SQLColumnExpression[Any]:
        # A row beyond the page the way it reads: a next page forward, a previous one
        # backward; a cursor given says there is something on its side (page_of: Relay's).
        beyond = rows.with_only_columns(self.keys[0]).order_by(
            *self._order(self.keys, self._reading(page))
        )
        beyond = self._correlated(beyond.limit(1).offset(page.size))
        more = build.json.boolean(beyond.exists())
        given = build.json.boolean(page.cursor[0].is_not(None))
        keyed = self._page(rows, page)
        keys = self._keyed(keyed)

        def end(descending: bool) -> sa.SQLColumnExpression[Any]:
            # The cursor of the page's first row in the list's order (or its last).
            cursor = build.json.cursor(page.tag, keys)
            ordered = sa.select(cursor).select_from(keyed).order_by(*self._order(keys, descending))
            return ordered.limit(1).scalar_subquery()

        values: dict[str, sa.SQLColumnExpression[Any]] = {
            "hasNextPage": given if page.backward else more,
            "hasPreviousPage": more if page.backward else given,
            "startCursor": end(self.descending),
            "endCursor": end(not self.descending),
            "__typename": sa.literal_column("'PageInfo'", sa.Text),
        }
        return build.json.object([(part.key, values[part.name]) for part in item.children])


def _name(item: Selected) -> sa.SQLColumnExpression[Any]:
    assert item.type is not None
    return sa.literal_column(f"'{item.type.name}'", sa.Text)
