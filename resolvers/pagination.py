"""Keyset (cursor) pagination: a page costs the same at any depth."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

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


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput("The 'after' cursor is not one this API gave out.") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise BadUserInput("The 'after' cursor is not one this API gave out.")
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        raise BadUserInput("The 'after' cursor is not one this API gave out.")
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
) -> Page[T]:
    """Rows of STATEMENT ordered by KEYS (unique together), FIRST of them after AFTER."""
    size = page_size(first)
    count_statement = sa.select(sa.func.count()).select_from(statement.order_by(None).subquery())
    ordered = statement.order_by(*keys)
    if after is not None:
        ordered = ordered.where(sa.tuple_(*keys) > sa.tuple_(*decode_cursor(after, len(keys))))
    rows: list[T] = list((await ctx.read(ordered.limit(size + 1))).scalars().all())
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
