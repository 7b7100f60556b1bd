"""An actor's access with its ids renamed: the SHAPE of a caller's grants.

Two residents of different compounds are allowed rows by the same rules over different
ids. Renaming every id of an actor's access (its person, its grant domains' and
workplaces' organisations, its partner unit) to the order of its first appearance gives
both one shape, and a SENTINEL actor of that shape whose ids are fixed-width numbers no
real id or constant takes: what is built for the sentinel actor holds for each caller of
the shape once its sentinels are replaced by the caller's ids (`substitute`).

Ids equal in the caller are equal in the shape, and a path is renamed segment by segment,
so equality and subtree (path prefix) relations between the caller's ids are the shape's.
A grant's source (why it was granted) is dropped: no SQL reads it.

A TWIN sentinel actor, of the same shape with other sentinels, lets a build be checked: a
value derived from an id in a way no substitution undoes (an encoded id, a hash) comes out
different for the two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from policies.actor import Actor
from policies.grants import Grant

# Sentinel number i is SENTINEL_BASE + i (i from 1): ten digits beginning 9000, far above
# any id a table gives out and any constant a statement holds. All have the same width, so
# read from the left in a path (after a "/") none is mistaken for another.
SENTINEL_BASE = 9_000_000_000
MAX_IDS = 999_999
# The twin's sentinel i is the actor's sentinel i + TWIN: an actor names fewer ids (both
# within MAX_IDS).
TWIN = 500_000
SENTINEL = re.compile(r"(?<![0-9])9000[0-9]{6}")

Path = tuple[int, ...]


@dataclass(frozen=True)
class Renamed:
    """SHAPE: the access with ids as indices of first appearance; ACTOR: the sentinel actor
    of that shape; REAL: each sentinel's id in the renamed actor."""

    shape: tuple[object, ...]
    actor: Actor
    real: Mapping[int, int]

    @property
    def twin(self) -> Actor:
        """The sentinel actor of this shape whose sentinels are the actor's + TWIN."""
        return _sentinel_actor(self.shape, TWIN)

    @property
    def from_twin(self) -> dict[int, int]:
        """Each of the twin's sentinels as the actor's."""
        return {key + TWIN: key for key in self.real}


def sentinel(index: int) -> int:
    return SENTINEL_BASE + 1 + index


def is_sentinel(value: int) -> bool:
    return SENTINEL_BASE < value <= SENTINEL_BASE + MAX_IDS


def renamed(actor: Actor) -> Renamed | None:
    """ACTOR's shape and sentinel actor; None when its access holds something not renamed
    safely (a domain that is not a materialised path of ids, an id that looks like a
    sentinel): such a caller keeps what is built for it alone."""
    return _renamed(actor.access)


@lru_cache(maxsize=4096)
def _renamed(access: tuple[object, ...]) -> Renamed | None:
    # Unpacked by position: a field added to Actor.access fails here, not silently.
    person_id, grants, member_of, partner, allowed = access
    assert isinstance(grants, tuple) and isinstance(member_of, tuple)
    indices: dict[int, int] = {}

    def index(value: object) -> int:
        if type(value) is not int or value < 0 or is_sentinel(value):
            raise _NotRenamed
        if value not in indices:
            if len(indices) >= MAX_IDS - TWIN:
                raise _NotRenamed
            indices[value] = len(indices)
        return indices[value]

    def path(text: object) -> Path:
        if not isinstance(text, str) or not text.startswith("/") or not text.endswith("/"):
            raise _NotRenamed
        parts = text[1:-1].split("/") if text != "/" else []
        if not all(part.isascii() and part.isdigit() and str(int(part)) == part for part in parts):
            raise _NotRenamed
        return tuple(index(int(part)) for part in parts)

    try:
        person = None if person_id is None else index(person_id)
        grant_shapes = tuple((grant.role, path(grant.domain)) for grant in grants)
        workplaces = tuple(path(workplace) for workplace in member_of)
        partner_index = None if partner is None else index(partner)
    except _NotRenamed:
        return None
    shape = (person, grant_shapes, workplaces, partner_index, allowed)
    real = {sentinel(i): value for value, i in indices.items()}
    return Renamed(shape, _sentinel_actor(shape, 0), real)


def _sentinel_actor(shape: tuple[object, ...], offset: int) -> Actor:
    """The actor of SHAPE whose id number i is sentinel(i + OFFSET)."""
    person, grant_shapes, workplaces, partner, allowed = shape
    assert isinstance(grant_shapes, tuple) and isinstance(workplaces, tuple)

    def spelled(path: Path) -> str:
        return "/" + "".join(f"{sentinel(i + offset)}/" for i in path)

    return Actor(
        person_id=None if person is None else sentinel(cast(int, person) + offset),
        grants=tuple(Grant(role, spelled(domain), "") for role, domain in grant_shapes),
        member_of=tuple(spelled(workplace) for workplace in workplaces),
        partner_organisation_id=None if partner is None else sentinel(cast(int, partner) + offset),
        allowed_actions=cast(frozenset[tuple[str, str]] | None, allowed),
    )


class _NotRenamed(Exception):
    pass


def contains_sentinel(value: Any) -> bool:
    """Whether VALUE is, holds or spells a sentinel (any other value: by its repr)."""
    if type(value) is int:
        return is_sentinel(value)
    if isinstance(value, str):
        return SENTINEL.search(value) is not None
    if isinstance(value, list | tuple | set | frozenset):
        return any(contains_sentinel(item) for item in value)
    return value is not None and SENTINEL.search(repr(value)) is not None


def substitutable(value: Any) -> bool:
    """Whether `substitute` replaces every sentinel VALUE holds: an int, a string, or a
    list or tuple of those (as bind parameters hold them)."""
    if type(value) is int or isinstance(value, str):
        return True
    if type(value) in (list, tuple):
        return all(substitutable(item) for item in value)
    return False


def substitute(value: Any, real: Mapping[int, int]) -> Any:
    """VALUE with each sentinel replaced by its id in REAL (a `substitutable` value)."""
    if type(value) is int:
        return real[value] if is_sentinel(value) else value
    if isinstance(value, str):
        return SENTINEL.sub(lambda found: str(real[int(found.group())]), value)
    if type(value) in (list, tuple):
        return type(value)(substitute(item, real) for item in value)
    raise TypeError(f"not substitutable: {type(value).__name__}")
