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
    # A partner token: the partner organisation acting, and the only (resource, action)
    # pairs its scopes open. None for a person acting for themself.
    partner_organisation_id: int | None = None
    allowed_actions: frozenset[tuple[str, str]] | None = None
    # The token's last use is older than the recording interval: note this use.
    record_use: bool = False
    # The access epoch (migration 0011) read with the token, when this actor was derived
    # at it: what this request may reuse from earlier ones is kept under it.
    epoch: int | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.person_id is not None

    @property
    def is_partner(self) -> bool:
        return self.partner_organisation_id is not None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)

    @property
    def access(self) -> tuple[object, ...]:
        """Everything the policy decides from (not which token, nor its last use): two
        callers with equal access are allowed exactly the same rows and fields."""
        return (
            self.person_id,
            self.grants,
            self.member_of,
            self.partner_organisation_id,
            self.allowed_actions,
        )

    def may_attempt(self, resource: str, action: str) -> bool:
        """Whether the token's scopes open this action at all (always, without scopes)."""
        return self.allowed_actions is None or (resource, action) in self.allowed_actions


ANONYMOUS = Actor(person_id=None)
