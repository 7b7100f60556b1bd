"""Relay-style connections over keyset pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from resolvers.pagination import Page

FIRST = "How many items to return (at most 100; 20 when omitted)."
AFTER = "Return the items after this cursor (an `endCursor` of a previous page)."

N = TypeVar("N")
Row = TypeVar("Row")


@strawberry.type(description="Where a page stands in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for after a cursor."
    )
    start_cursor: str | None = strawberry.field(description="The cursor of the first item.")
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


def to_connection(page: Page[Row], convert: Callable[[Row], N]) -> Connection[N]:
    edges = [
        Edge(cursor=c, node=convert(row)) for row, c in zip(page.items, page.cursors, strict=True)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
        _count=page.count,
    )
