"""The actors a process derived for tokens, kept while nothing they derive from changed.

Deriving an actor (the grants statement, a partner token's narrowing) is the largest
part of a small request. What it reads is watched by the access epoch (migration 0011):
every change to positions, service links, residences, admin flags, organisation paths
or a partner token's organisations moves it on, in the change's own transaction. The
epoch is read with the token itself, so an actor kept here is used only while the
database would still derive exactly it: a revoked token, an ended position or a new
appointment takes effect on the very next request, in every process. The day is part of
the key, since terms begin and end on days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cachetools import LRUCache

from policies.actor import Actor

# Tokens in use at once per process; an evicted one is simply derived again.
DEFAULT_CAPACITY = 10_000


@dataclass(frozen=True)
class TokenFacts:
    """What of the token row its actor is derived from."""

    person_id: int
    partner_organisation_id: int | None
    scopes: tuple[str, ...] | None


@dataclass(frozen=True)
class _Kept:
    epoch: int
    facts: TokenFacts
    actor: Actor


class ActorCache:
    """Actors by (token, day), each with the access epoch it was derived at."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._kept: LRUCache[tuple[int, date], _Kept] = LRUCache(maxsize=capacity)

    def get(self, token_id: int, day: date, epoch: int, facts: TokenFacts) -> Actor | None:
        """The actor kept for the token on DAY, if derived at EPOCH from the same FACTS."""
        kept = self._kept.get((token_id, day))
        if kept is None or kept.epoch != epoch or kept.facts != facts:
            return None
        return kept.actor

    def keep(self, token_id: int, day: date, epoch: int, facts: TokenFacts, actor: Actor) -> None:
        self._kept[(token_id, day)] = _Kept(epoch, facts, actor)

    def __len__(self) -> int:
        return len(self._kept)
