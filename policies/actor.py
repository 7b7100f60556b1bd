"""Who is calling: a person, through which token, holding which grants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policies.grants import Grant


@dataclass(frozen=True)
class Actor:
    person_id: int | None
    token_id: int | None = None
    grants: tuple[Grant, ...] = field(default=())
    # Paths of the organisations the person works in today (active positions).
    member_of: tuple[str, ...] = field(default=())

    @property
    def is_authenticated(self) -> bool:
        return self.person_id is not None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)


ANONYMOUS = Actor(person_id=None)
