"""Page statements kept between requests, per (list, filter, page size, caller, day).

Building a scoped page (a UNION of each scope branch's top rows, joined back) costs more
Python than the database spends running it, and a caller asks the same list again and
again (a frontend's page, the next page, a partner's poll). A kept query is reused with
only its cursor values bound anew (KeysetQuery.after_cursor).

The key holds everything the statements are built from: the list, its filter, the page
size, whether a cursor is given, what the policy decides from (the caller's access and the
day), the dialect, and the scope branches as this request resolved them (their compound
ids are read from the database on every request, so a compound moved or added changes
them and so the key). A filter that reads the database to build its statement (a subtree
named by id) is built afresh every time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import fields
from typing import Any

import sqlalchemy as sa

from resolvers.common import read_branches
from resolvers.context import RequestContext
from resolvers.kept import KeptPer
from resolvers.pagination import KeysetQuery, Ordering, Window, keyset_query

# Kept queries per process: a 100-row issue page's statements are tens of KB.
CAPACITY = 512

Branches = tuple[sa.ColumnElement[bool], ...]


# Per the scope branches (shared objects, policies/authorizer.py) and the rest of the key.
_kept: KeptPer[KeysetQuery] = KeptPer(CAPACITY)


def _filter_key(filter: Any) -> Hashable | None:
    """A dataclass filter as a hashable key (its lists as tuples); None for a filter that
    reads the database to build its statement (a subtree named by id reads its path)."""
    if getattr(filter, "subtree_of", None) is not None:
        return None
    return tuple(
        (item.name, tuple(value) if isinstance(value, list) else value)
        for item in fields(filter)
        for value in (getattr(filter, item.name),)
    )


async def kept_page_query(
    ctx: RequestContext,
    resource: str,
    filter: Any,
    first: int | None,
    after: str | None,
    build: Callable[[Branches], Awaitable[KeysetQuery]],
    *,
    branches: bool = True,
    variant: Hashable = None,
    last: int | None = None,
    before: str | None = None,
) -> KeysetQuery:
    """The page query BUILD makes from the caller's scope BRANCHES over RESOURCE (or
    from none, for a list scoped by one clause) for FILTER (a dataclass) and VARIANT (an
    order, a direction), kept unless the filter reads the database to build it."""
    scope = await read_branches(ctx, resource) if branches else ()
    filtered = _filter_key(filter)
    if filtered is None:
        return await build(scope)
    parts = (
        resource,
        filtered,
        variant,
        first,
        after is None,
        last,
        before is None,
        ctx.actor.access,
        ctx.today,
        ctx.db.dialect_name,
    )
    kept = _kept.get(scope, parts)
    if kept is not None:
        return kept.from_cursor(Window(first, after, last, before).cursor)
    return _kept.keep(scope, parts, await build(scope))


async def ordered_page_query(
    ctx: RequestContext,
    resource: str,
    filter: Any,
    filtered: sa.Select[Any] | Callable[[], Awaitable[sa.Select[Any]]],
    ordering: Ordering,
    window: Window,
    *,
    variant: Hashable = None,
    branches: bool = True,
) -> KeysetQuery:
    """The kept page query of the rows FILTERED selects (a statement, or a coroutine
    function making it when the filter reads the database), in ORDERING, for WINDOW: scoped
    by the caller's branches over RESOURCE, each read through its own index and merged (or,
    without BRANCHES, by a scope FILTERED selects itself)."""

    async def build(scope: Branches) -> KeysetQuery:
        return keyset_query(
            filtered if isinstance(filtered, sa.Select) else await filtered(),
            keys=ordering.keys,
            descending=ordering.descending,
            first=window.first,
            after=window.after,
            last=window.last,
            before=window.before,
            branches=scope if branches else None,
        )

    return await kept_page_query(
        ctx,
        resource,
        filter,
        window.first,
        window.after,
        build,
        branches=branches,
        variant=variant,
        last=window.last,
        before=window.before,
    )
