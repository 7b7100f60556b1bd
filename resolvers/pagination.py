"""Keyset (cursor) pagination: a page costs the same at any depth."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from db.types import UtcDateTime
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


INT64 = 2**63 - 1
INT32 = 2**31 - 1
NOT_OURS = "The 'after' cursor is not one this API gave out."


def _bind(key: sa.SQLColumnExpression[Any], value: Any) -> sa.BindParameter[Any]:
    """A cursor value checked against, and typed like, its key column.

    A value that cannot belong to the column is the caller's mistake (BAD_USER_INPUT),
    never a database error, and timestamps compare as timestamps on every backend.
    """
    key_type = getattr(key, "type", None)
    if isinstance(key_type, UtcDateTime):
        parsed = _timestamp(value)
        return sa.literal(parsed, type_=key_type)
    if isinstance(key_type, sa.Integer):
        limit = INT64 if isinstance(key_type, sa.BigInteger) else INT32
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > limit:
            raise BadUserInput(NOT_OURS)
    elif isinstance(key_type, sa.String) and not isinstance(value, str):
        raise BadUserInput(NOT_OURS)
    return sa.literal(value, type_=key_type)


def _timestamp(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BadUserInput(NOT_OURS) from exc
    if parsed.tzinfo is None:
        raise BadUserInput(NOT_OURS)
    return parsed


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(
        [_plain(v) for v in values], separators=(",", ":"), ensure_ascii=False
    ).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput(NOT_OURS) from exc
    if not isinstance(values, list) or len(values) != arity:
        raise BadUserInput(NOT_OURS)
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        raise BadUserInput(NOT_OURS)
    return values


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise BadUserInput(f"'first' must be between 0 and {MAX_PAGE_SIZE}; it was {first}.")
    return first


async def keyset_page(
    ctx: RequestContext,
    statement: sa.Select[Any],
    *,
    keys: Sequence[sa.SQLColumnExpression[Any]],
    key_of: Callable[[T], Sequence[Any]],
    first: int | None,
    after: str | None,
    descending: bool = False,
    branches: Sequence[sa.ColumnElement[bool]] | None = None,
) -> Page[T]:
    """Rows of STATEMENT ordered by KEYS (unique together, all one direction),
    FIRST of them after AFTER.

    With BRANCHES (clauses whose OR is the caller's scope, which STATEMENT then leaves
    out), each branch reads its own top rows in index order and the page is their merge:
    one OR would make the database filter a whole index instead. No branch at all means
    nothing is allowed.
    """
    size = page_size(first)
    direction = sa.desc if descending else sa.asc
    cursor: sa.ColumnElement[bool] | None = None
    if after is not None:
        values = [
            _bind(key, value)
            for key, value in zip(keys, decode_cursor(after, len(keys)), strict=True)
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
    rows: list[T] = list((await ctx.read(page_statement)).scalars().all())
    has_next = len(rows) > size
    rows = rows[:size]

    async def count() -> int:
        return int((await ctx.read(count_statement)).scalar_one())

    return Page(
        items=rows,
        cursors=[encode_cursor(key_of(row)) for row in rows],
        has_next_page=has_next,
        has_previous_page=after is not None,
        count=count,
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
