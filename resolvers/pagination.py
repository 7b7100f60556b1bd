"""Keyset (cursor) pagination: a page costs the same at any depth.

Which page (`Window`), its statements (`keyset_query`) and reading them (`read_page`);
what a cursor holds is `resolvers.cursors`, the merge of OR-ed scopes `resolvers.keyset_union`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Generic, NamedTuple, TypeVar

import sqlalchemy as sa

from db.entity_rows import read_whole
from resolvers.context import RequestContext
from resolvers.cursors import connection_tag, cursor_parameter, cursor_parameters, encode_cursor
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.keyset_union import key_name, merged_statements

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class Page(Generic[T]):
    items: list[T]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]
    # The cursor of the item at a position, encoded when asked for: a page whose edges
    # show no cursor encodes at most its first and last (for pageInfo).
    cursor_at: Callable[[int], str]

    @cached_property
    def cursors(self) -> list[str]:
        return [self.cursor_at(position) for position in range(len(self.items))]

    @property
    def start_cursor(self) -> str | None:
        return self.cursor_at(0) if self.items else None

    @property
    def end_cursor(self) -> str | None:
        return self.cursor_at(len(self.items) - 1) if self.items else None


def page_size(first: int | None, argument: str = "first") -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise BadUserInput(
            tr(
                "'{argument}' must be between 0 and {MAX_PAGE_SIZE}; it was {first}.",
                argument=argument,
                MAX_PAGE_SIZE=MAX_PAGE_SIZE,
                first=first,
            )
        )
    return first


ONE_WAY = tr(
    "Page one way at a time: give 'first' and 'after' (forward) or 'last' and 'before' "
    "(backward), not both."
)


@dataclass(frozen=True)
class Window:
    """Which page of a list: FIRST after AFTER (forward), or LAST before BEFORE (backward,
    towards the list's start). Either cursor comes from this list, whichever way it was
    read."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backward(self) -> bool:
        return self.last is not None or self.before is not None

    @property
    def cursor(self) -> str | None:
        """The cursor the page starts from, whichever way it reads."""
        return self.before if self.backward else self.after

    @property
    def size(self) -> int:
        if self.backward:
            if self.first is not None or self.after is not None:
                raise BadUserInput(ONE_WAY)
            return page_size(self.last, "last")
        return page_size(self.first)


class Ordering(NamedTuple):
    """One sort order of a list: KEYS (unique together: the last is the primary key) read
    all ASCENDING or all DESCENDING, each key an attribute of the list's rows by its name."""

    keys: Sequence[sa.SQLColumnExpression[Any]]
    descending: bool = False

    def key_of(self, row: Any) -> tuple[Any, ...]:
        """ROW's values of the keys, for its cursor."""
        return tuple(getattr(row, key_name(key)) for key in self.keys)


@dataclass(frozen=True)
class KeysetQuery:
    """The statements of one keyset page: PAGE reads up to SIZE + 1 rows (one more tells
    whether a next page exists), COUNT counts every row over all pages.

    PAGE reads in DESCENDING order from the cursor AFTER; a BACKWARD page (`last`/`before`)
    reads against the list's order from its `before` cursor (held in AFTER), and its rows
    are put back in the list's order when read (`page_of`)."""

    page: sa.Select[Any]
    count: sa.Select[Any]
    tag: str
    size: int
    keys: Sequence[sa.SQLColumnExpression[Any]]
    descending: bool
    after: str | None
    # The after cursor's values, for the named parameters of PAGE (none without a cursor):
    # pass them with every execution of PAGE or a statement built on it.
    parameters: Mapping[str, Any] = field(default_factory=dict)
    backward: bool = False

    def from_cursor(self, cursor: str | None) -> KeysetQuery:
        """The same statements for the page from CURSOR on (after it, or before it for a
        backward page): only the parameters change, so a kept query serves every page of
        its list (CURSOR must be given when this query's was, and only then)."""
        assert (cursor is None) == (self.after is None)
        return replace(
            self, after=cursor, parameters=cursor_parameters(self.keys, self.tag, cursor)
        )


def keyset_query(
    statement: sa.Select[Any],
    *,
    keys: Sequence[sa.SQLColumnExpression[Any]],
    first: int | None,
    after: str | None,
    descending: bool = False,
    branches: Sequence[sa.ColumnElement[bool]] | None = None,
    last: int | None = None,
    before: str | None = None,
) -> KeysetQuery:
    """The statements of the page of STATEMENT ordered by KEYS (unique together, all one
    direction), FIRST of them after AFTER, or the LAST of them before BEFORE.

    With BRANCHES (clauses whose OR is the caller's scope, which STATEMENT then leaves
    out), each branch reads its own top rows in index order and the page is their merge:
    one OR would make the database filter a whole index instead. No branch at all means
    nothing is allowed.
    """
    window = Window(first, after, last, before)
    size = window.size
    # One tag for the list, whichever way a page reads: cursors work both ways.
    tag = connection_tag(keys, descending)
    after = window.cursor
    # A backward page reads against the list's order, from its cursor towards the start.
    descending = descending != window.backward
    direction = sa.desc if descending else sa.asc
    cursor: sa.ColumnElement[bool] | None = None
    parameters = cursor_parameters(keys, tag, after)
    if after is not None:
        # Named, typed like their key columns: a kept query binds the next page's values.
        values = [
            sa.bindparam(cursor_parameter(position), value, type_=getattr(key, "type", None))
            for position, (key, value) in enumerate(zip(keys, parameters.values(), strict=True))
        ]
        position = sa.tuple_(*keys)
        cursor = position < sa.tuple_(*values) if descending else position > sa.tuple_(*values)
    if branches is not None and len(branches) > 1:
        page_statement, count_statement = merged_statements(
            statement, keys, direction, cursor, branches, size
        )
    else:
        if branches is not None:
            statement = statement.where(branches[0] if branches else sa.false())
        count_statement = sa.select(sa.func.count()).select_from(
            statement.order_by(None).subquery()
        )
        ordered = statement.order_by(*(direction(k) for k in keys))
        if cursor is not None:
            ordered = ordered.where(cursor)
        page_statement = ordered.limit(size + 1)
    return KeysetQuery(
        page_statement,
        count_statement,
        tag,
        size,
        keys,
        descending,
        after,
        parameters,
        window.backward,
    )


async def keyset_page(
    ctx: RequestContext,
    statement: sa.Select[Any],
    *,
    keys: Sequence[sa.SQLColumnExpression[Any]],
    key_of: Callable[[T], Sequence[Any]],
    window: Window,
    descending: bool = False,
    branches: Sequence[sa.ColumnElement[bool]] | None = None,
) -> Page[T]:
    """The rows of the page `keyset_query` describes for WINDOW (either way), with their
    cursors: every list pages forward and backward through here or `keyset_query`."""
    query = keyset_query(
        statement,
        keys=keys,
        first=window.first,
        after=window.after,
        descending=descending,
        branches=branches,
        last=window.last,
        before=window.before,
    )
    return await read_page(ctx, query, key_of)


async def read_page(
    ctx: RequestContext, query: KeysetQuery, key_of: Callable[[T], Sequence[Any]]
) -> Page[T]:
    # A page of a model's rows is read as column rows (db/entity_rows.py): lists only read.
    rows: list[T] = await read_whole(ctx.read, query.page, query.parameters)
    return page_of(ctx, query, rows, key_of)


async def read_page_with_keys(ctx: RequestContext, query: KeysetQuery) -> Page[Any]:
    """The page of QUERY in an order by a key its rows do not hold (another table's column,
    as a correlated subquery): each row is read with its key values, for its cursor."""
    statement = query.page.add_columns(*query.keys)
    rows: list[Any] = list((await ctx.read(statement, query.parameters)).all())
    page = page_of(ctx, query, rows, lambda row: tuple(row[1:]))
    return replace(page, items=[row[0] for row in page.items])


def page_of(
    ctx: RequestContext, query: KeysetQuery, rows: list[T], key_of: Callable[[T], Sequence[Any]]
) -> Page[T]:
    """The page among ROWS, as QUERY's page statement (or one built on it) read them: at
    most one more than the page holds, which tells that a next page exists (a previous
    one, for a backward page, whose rows are then put back in the list's order)."""
    more = len(rows) > query.size
    rows = rows[: query.size]
    if query.backward:
        rows.reverse()

    async def count() -> int:
        return int((await ctx.read(query.count)).scalar_one())

    def cursor_at(position: int) -> str:
        return encode_cursor(query.tag, key_of(rows[position]))

    return Page(
        items=rows,
        # Relay's rule: a cursor given says there is something on its side.
        has_next_page=query.after is not None if query.backward else more,
        has_previous_page=more if query.backward else query.after is not None,
        count=count,
        cursor_at=cursor_at,
    )
