"""The ApiToken node: a partner token as its issuer and overseers see it (never its secret)."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from db.models import ApiToken
from db.types import utcnow
from policies.token_scopes import TokenScope
from resolvers.tokens.partner import TokenStatus, token_status
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType
from schema.tokens import loaders


@strawberry.type(
    name="ApiToken",
    description="A bearer token. A partner token is issued by a person for a partner unit: it "
    "acts only on its organisations, only with its scopes, and never beyond what its issuer may "
    "do at the moment of use. Readable by its issuer and by whoever holds token:read over one of "
    "its organisations; the secret is shown once, when it is issued.",
)
class ApiTokenType(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="What the issuer called it.")
    display_prefix: str = strawberry.field(
        description="The first characters of the secret, to tell tokens apart."
    )
    scopes: list[TokenScope] = strawberry.field(
        description="What it may do (empty for a personal token, which acts as its person)."
    )
    created_at: datetime = strawberry.field(description="When it was issued.")
    expires_at: datetime = strawberry.field(description="When it stops working.")
    last_used_at: datetime | None = strawberry.field(
        description="Its last use, recorded to within five minutes; null if never used."
    )
    revoked_at: datetime | None = strawberry.field(description="When it was revoked, if it was.")
    _row: strawberry.Private[ApiToken]

    @classmethod
    def from_row(cls, row: ApiToken) -> Self:
        assert row.id is not None
        known = {scope.value: scope for scope in TokenScope}
        return cls(
            id=row.id,
            name=row.name,
            display_prefix=row.display_prefix,
            scopes=[known[name] for name in row.scopes or [] if name in known],
            created_at=row.created_at,
            expires_at=row.expires_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
            _row=row,
        )

    @strawberry.field(description="ACTIVE, EXPIRED or REVOKED, now.")
    def status(self) -> TokenStatus:
        return token_status(self._row, utcnow())

    @strawberry.field(
        description="Who issued it, if you may see them; the token never exceeds their access."
    )
    async def issuer(self, info: Info) -> PersonType | None:
        row = await people_loaders.person(info.context).load(self._row.person_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The partner unit that uses it, if you may see it.")
    async def partner(self, info: Info) -> OrganisationType | None:
        if self._row.partner_organisation_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(
            self._row.partner_organisation_id
        )
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="The organisations it may act on (with everything under them) that you may see."
    )
    async def organisations(self, info: Info) -> list[OrganisationType]:
        ids = await loaders.token_organisation_ids(info.context).load(self._row.id or 0)
        rows = await organisations_loaders.organisation(info.context).load_many(ids)
        return [OrganisationType.from_row(row) for row in rows if row is not None]


@strawberry.type(description="A newly issued token and its secret.")
class IssuedTokenPayload:
    token: ApiTokenType = strawberry.field(description="The token.")
    secret: str = strawberry.field(
        description="The bearer secret (jl_…). Shown only now: store it, it cannot be read again."
    )


register_node("token", ApiTokenType, loaders.token)
