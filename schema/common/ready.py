"""Answering a related field without a coroutine when its DataLoader already holds the row.

graphql-core pays for every awaitable field: a coroutine, a future, and for lists a
`gather` of all of them, roughly five times the cost of a plain value. A list field
therefore loads what its nodes' related fields will ask for up front (`prefetch`, one
batched statement per relation), and the related fields answer from the loaders'
caches synchronously (`ready`). A field whose row is not cached yet still answers, just
asynchronously: graphql-core awaits an awaitable that a synchronous resolver returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from strawberry.dataloader import DataLoader
from strawberry.exceptions import WrongNumberOfResultsReturned
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from resolvers.context import RequestContext
from schema.context import Info

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")
Row = TypeVar("Row")

_MISSING = object()


def cached_value(loader: DataLoader[K, V], key: K) -> Any:
    """The loader's finished value for KEY, or _MISSING while it is unknown or pending."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return _MISSING
    return future.result()


def ready(loader: DataLoader[K, V | None], key: K, convert: Callable[[V], R]) -> R | None:
    """CONVERT of the row LOADER holds for KEY (None when there is none, or it is not the
    caller's to see): a plain value when it is cached, otherwise an awaitable of it. Typed as
    the value because that is the field's GraphQL type; graphql-core awaits the awaitable."""
    value = cached_value(loader, key)
    if value is not _MISSING:
        return None if value is None else convert(value)

    async def later() -> R | None:
        row = await loader.load(key)
        return None if row is None else convert(row)

    return cast(R | None, later())


def ready_after(
    gate: DataLoader[K, bool], key: K, then: Callable[[], R], refused: Callable[[], R]
) -> R:
    """THEN when GATE allows KEY, else REFUSED; synchronous when GATE's answer is cached."""
    allowed = cached_value(gate, key)
    if allowed is not _MISSING:
        return then() if allowed else refused()

    async def later() -> R:
        answer = then() if await gate.load(key) else refused()
        return await answer if isinstance(answer, Awaitable) else answer

    return cast(R, later())


def _fields_of(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, (FragmentSpread, InlineFragment)):
            yield from _fields_of(selection.selections)


def selected_node_fields(info: Info) -> set[str]:
    """The fields asked for on the nodes of the connection this field returns (edges.node),
    through fragments; camelCase names as in the document."""
    names: set[str] = set()
    for connection in _fields_of(info.selected_fields):
        for edges in _fields_of(connection.selections):
            if edges.name != "edges":
                continue
            for node in _fields_of(edges.selections):
                if node.name == "node":
                    names.update(field.name for field in _fields_of(node.selections))
    return names


# A relation's prefetch: given the request and the page's rows, load what the field needs.
Prefetch = Callable[[RequestContext, Sequence[Any]], Awaitable[Any]]


async def prefetch(info: Info, rows: Sequence[Row], relations: Mapping[str, Prefetch]) -> None:
    """Load, for the nodes of ROWS, every relation the document asks for, in one batch per
    loader. The loaders' own scoping applies; nothing is shown that a field would not."""
    if not rows:
        return
    wanted = selected_node_fields(info)
    ctx = info.context
    for name, load in relations.items():
        if name in wanted:
            await load(ctx, rows)


async def load_all(loader: DataLoader[K, V], keys: Iterable[K | None]) -> list[V]:
    """LOADER's values for the distinct non-null KEYS, those it holds no future for read in
    one call of its batch function, now.

    A prefetch knows every key at once: the DataLoader's own way (a future, a batch task and
    a done-callback per key, a batch dispatched on the next turn of the loop, a gather of
    the futures) only adds to the one call. The keys' futures are set as the DataLoader's
    dispatch sets them (an exception value raised to its key's callers, the whole batch's
    failure to all of them); a key another batch already holds waits for that batch."""
    wanted = list(dict.fromkeys(k for k in keys if k is not None))
    if not loader.cache or loader.max_batch_size is not None:
        return await loader.load_many(wanted)
    cache = loader.cache_map
    missing = [key for key in wanted if not _held(cache.get(key))]
    if missing:
        await _load_now(loader, missing)
    futures = [cache.get(key) for key in wanted]
    if all(future is not None and future.done() for future in futures):
        return _results(cast(list["asyncio.Future[V]"], futures))
    return await loader.load_many(wanted)


def _held(future: asyncio.Future[Any] | None) -> bool:
    return future is not None and not future.cancelled()


async def _load_now(loader: DataLoader[K, V], keys: list[K]) -> None:
    futures: list[asyncio.Future[V]] = [loader.loop.create_future() for _ in keys]
    for key, future in zip(keys, futures, strict=True):
        loader.cache_map.set(key, future)
    try:
        values = list(await loader.load_fn(keys))
        if len(values) != len(keys):
            raise WrongNumberOfResultsReturned(expected=len(keys), received=len(values))
    except Exception as error:  # every key's caller sees the batch's failure
        for future in futures:
            future.set_exception(error)
        return
    except BaseException:
        # Cancelled: nobody is left to set them, and a later load must not wait on them.
        for future in futures:
            future.cancel()
        raise
    for future, value in zip(futures, values, strict=True):
        if isinstance(value, BaseException):
            future.set_exception(value)
        else:
            future.set_result(value)


def _results(futures: list[asyncio.Future[V]]) -> list[V]:
    """The finished FUTURES' values, as `gather` gives them: the first failure raised, and
    every failure retrieved (asyncio logs those nobody looked at)."""
    failures = [error for future in futures if (error := future.exception()) is not None]
    if failures:
        raise failures[0]
    return [future.result() for future in futures]
