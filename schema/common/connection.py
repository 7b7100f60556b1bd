"""Relay-style connections over keyset pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from resolvers.pagination import Page

FIRST = "How many items to return (at most 100; 20 when omitted)."
AFTER = "Return the items after this cursor (an `endCursor` of a previous page)."
LAST = (
    "How many items to return from the end, or from before `before` (at most 100; 20 when "
    "omitted). Page backward with `last`/`before`, or forward with `first`/`after`, not both."
)
BEFORE = (
    "Return the items before this cursor (a `startCursor` of a page of this list), in the "
    "list's order."
)

N = TypeVar("N")
Row = TypeVar("Row")


@strawberry.type(description="Where a page stands in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Paging forward: whether more items follow this page. Paging backward: "
        "whether this page was asked for before a cursor."
    )
    has_previous_page: bool = strawberry.field(
        description="Paging forward: whether this page was asked for after a cursor. Paging "
        "backward: whether more items come before this page."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the first item; pass it as `before` for the page before."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last item; pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a connection, with its cursor.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of items, in a stable order, with cursors to go on.")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match, over all pages (one extra query).")
    async def total_count(self) -> int:
        return await self._count()


def page_info_of(page: Page[Row]) -> PageInfo:
    return PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=page.start_cursor,
        end_cursor=page.end_cursor,
    )


def to_connection(page: Page[Row], convert: Callable[[Row], N]) -> Connection[N]:
    edges = [
        Edge(cursor=c, node=convert(row)) for row, c in zip(page.items, page.cursors, strict=True)
    ]
    return Connection(edges=edges, page_info=page_info_of(page), _count=page.count)
