"""Keyset (cursor) pagination: a page costs the same at any depth."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
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
ANOTHER_LIST = (
    "The 'after' cursor belongs to another list (or another order of this one); "
    "pass the endCursor of this list's previous page."
)


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
    raw = json.dumps(
        [tag, *(_plain(v) for v in values)], separators=(",", ":"), ensure_ascii=False
    ).encode()
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
) -> Page[T]:
    """Rows of STATEMENT ordered by KEYS (unique together, all one direction),
    FIRST of them after AFTER."""
    size = page_size(first)
    tag = connection_tag(keys, descending)
    count_statement = sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    ordered = statement.order_by(*(sa.desc(k) if descending else sa.asc(k) for k in keys))
    if after is not None:
        values = [
            _bind(key, value)
            for key, value in zip(keys, decode_cursor(after, tag, len(keys)), strict=True)
        ]
        position = sa.tuple_(*keys)
        ordered = ordered.where(
            position < sa.tuple_(*values) if descending else position > sa.tuple_(*values)
        )
    rows: list[T] = list((await ctx.read(ordered.limit(size + 1))).scalars().all())
    has_next = len(rows) > size
    rows = rows[:size]

    async def count() -> int:
        return int((await ctx.read(count_statement)).scalar_one())

    return Page(
        items=rows,
        cursors=[encode_cursor(tag, key_of(row)) for row in rows],
        has_next_page=has_next,
        has_previous_page=after is not None,
        count=count,
    )
