"""GraphQL names and descriptions of the token enums."""

from __future__ import annotations

import strawberry

from policies.token_scopes import SCOPE_RULES, TokenScope
from resolvers.tokens.partner import TokenStatus

TokenScopeEnum = strawberry.enum(
    TokenScope,
    name="TokenScope",
    description="What a partner token may do, always within its organisations and its issuer's "
    "access at the moment of use. "
    + " ".join(
        f"{scope.name} ({scope.value}): {rule.description}" for scope, rule in SCOPE_RULES.items()
    ),
)


TokenStatusEnum = strawberry.enum(
    TokenStatus,
    name="TokenStatus",
    description="ACTIVE: usable. EXPIRED: past its expiry. REVOKED: revoked (whatever its expiry).",
)
