"""Keyset (cursor) pagination: a page costs the same at any depth."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any, Generic, NamedTuple, TypeVar

import orjson
import sqlalchemy as sa

from db.types import UtcDateTime
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr

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


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


INT64 = 2**63 - 1
INT32 = 2**31 - 1
NOT_OURS = tr("The 'after' cursor is not one this API gave out.")
ANOTHER_LIST = tr(
    "The 'after' cursor belongs to another list (or another order of this one); "
    "pass the endCursor of this list's previous page."
)


def _cursor_value(key: sa.SQLColumnExpression[Any], value: Any) -> Any:
    """A cursor value checked against, and converted for, its key column.

    A value that cannot belong to the column is the caller's mistake (BAD_USER_INPUT),
    never a database error, and timestamps compare as timestamps on every backend.
    """
    key_type = getattr(key, "type", None)
    if isinstance(key_type, UtcDateTime):
        return _timestamp(value)
    if isinstance(key_type, sa.Date):
        return _day(value)
    if isinstance(key_type, sa.Integer):
        limit = INT64 if isinstance(key_type, sa.BigInteger) else INT32
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > limit:
            raise BadUserInput(NOT_OURS)
    elif isinstance(key_type, sa.String) and not isinstance(value, str):
        raise BadUserInput(NOT_OURS)
    return value


def _cursor_parameter(position: int) -> str:
    return f"keyset_after_{position}"


def _day(value: Any) -> date:
    if not isinstance(value, str):
        raise BadUserInput(NOT_OURS)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadUserInput(NOT_OURS) from exc


def _timestamp(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BadUserInput(NOT_OURS) from exc
    if parsed.tzinfo is None:
        raise BadUserInput(NOT_OURS)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:  # e.g. year 1 east of UTC: no UTC time we could store
        raise BadUserInput(NOT_OURS) from exc


def connection_tag(keys: Sequence[sa.SQLColumnExpression[Any]], descending: bool) -> str:
    """A short name of the list a cursor belongs to: its key columns and direction.

    A cursor carries it, so one list's cursor given to another (whose keys would read
    its values as something else) is refused instead of silently skipping rows.
    """
    names = [
        f"{key.table.name}.{key.name}" if isinstance(key, sa.Column) else str(key)
        for key in (getattr(k, "expression", k) for k in keys)
    ]
    spelled = ",".join(names) + (" desc" if descending else " asc")
    return hashlib.sha256(spelled.encode()).hexdigest()[:12]


def encode_cursor(tag: str, values: Sequence[Any]) -> str:
    # orjson writes what json.dumps(..., separators=(",", ":"), ensure_ascii=False) writes
    # for strings and integers, several times faster (a page encodes a cursor per row).
    raw = orjson.dumps([tag, *(_plain(v) for v in values)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, tag: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput(NOT_OURS) from exc
    if not isinstance(values, list) or not values or not isinstance(values[0], str):
        raise BadUserInput(NOT_OURS)
    if values[0] != tag:
        raise BadUserInput(ANOTHER_LIST)
    values = values[1:]
    if len(values) != arity:
        raise BadUserInput(NOT_OURS)
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        raise BadUserInput(NOT_OURS)
    return values


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
        return tuple(getattr(row, _name(key)) for key in self.keys)


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
            self, after=cursor, parameters=_cursor_parameters(self.keys, self.tag, cursor)
        )


def _cursor_parameters(
    keys: Sequence[sa.SQLColumnExpression[Any]], tag: str, after: str | None
) -> dict[str, Any]:
    """The values of the AFTER cursor of list TAG, by parameter name, checked."""
    if after is None:
        return {}
    values = decode_cursor(after, tag, len(keys))
    return {
        _cursor_parameter(position): _cursor_value(key, value)
        for position, (key, value) in enumerate(zip(keys, values, strict=True))
    }


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
    parameters = _cursor_parameters(keys, tag, after)
    if after is not None:
        # Named, typed like their key columns: a kept query binds the next page's values.
        values = [
            sa.bindparam(_cursor_parameter(position), value, type_=getattr(key, "type", None))
            for position, (key, value) in enumerate(zip(keys, parameters.values(), strict=True))
        ]
        position = sa.tuple_(*keys)
        cursor = position < sa.tuple_(*values) if descending else position > sa.tuple_(*values)
    if branches is not None and len(branches) > 1:
        page_statement, count_statement = _merged(
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
    rows: list[T] = list((await ctx.read(query.page, query.parameters)).scalars().all())
    return page_of(ctx, query, rows, key_of)


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


def _merged(
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
    key_names = {_name(key) for key in keys}
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
    joined = sa.and_(*(column == union.c[_name(column)] for column in primary))
    page = (
        sa.select(entity)
        .join(union, joined)
        .order_by(*(direction(union.c[_name(k)]) for k in keys))
        .limit(size + 1)
    )
    ids = sa.union(*(statement.where(b).with_only_columns(*primary) for b in branches))
    count = sa.select(sa.func.count()).select_from(ids.subquery())
    return page, count


def _name(key: sa.SQLColumnExpression[Any]) -> str:
    name = getattr(key, "key", None) or getattr(key, "name", None)
    if not isinstance(name, str):
        raise TypeError(f"a keyset key must be a named column: {key!r}")
    return name
