"""What a process keeps between requests, per objects it names by identity.

Statements, plans and costs are kept per the expressions or documents they are built from
(shared objects, as equal grants give the very same scope clauses). Such objects are
named in the key by `id()` and held with the value, so that no other object can take
their id while the value is kept, and a hit is checked by identity.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")


class KeptPer(Generic[V]):
    """Values per (OBJECTS by identity, PARTS by value), the least recently used dropped
    past MAXSIZE."""

    def __init__(self, maxsize: int) -> None:
        self._kept: LRUCache[Hashable, tuple[tuple[object, ...], V]] = LRUCache(maxsize)

    def get(self, objects: tuple[object, ...], parts: Hashable = ()) -> V | None:
        found = self._kept.get((tuple(map(id, objects)), parts))
        if found is None or not _same(found[0], objects):
            return None
        return found[1]

    def keep(self, objects: tuple[object, ...], parts: Hashable, value: V) -> V:
        self._kept[(tuple(map(id, objects)), parts)] = (objects, value)
        return value


def _same(kept: tuple[object, ...], objects: tuple[object, ...]) -> bool:
    return len(kept) == len(objects) and all(a is b for a, b in zip(kept, objects, strict=True))
