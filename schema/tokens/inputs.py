"""Inputs of the partner-token mutations and the tokens listing."""

from __future__ import annotations

from datetime import datetime

import strawberry

from policies.token_scopes import TokenScope
from resolvers.tokens.partner import IssuePartnerToken, RevokeToken, TokenFilter, TokenStatus
from schema.ids import decode_id, decode_optional


@strawberry.input(description="A token for a partner unit: what, where, and until when.")
class IssueTokenInput:
    name: str = strawberry.field(description="What it is for, e.g. '共建單位工單對接'.")
    partner: strawberry.ID = strawberry.field(
        description="The partner unit, social organisation, firm or department that will use it."
    )
    organisations: list[strawberry.ID] = strawberry.field(
        description="The organisations it may act on, with everything under them (1–20); you "
        "need token:issue over each."
    )
    scopes: list[TokenScope] = strawberry.field(description="What it may do (at least one).")
    expires_at: datetime = strawberry.field(
        description="When it stops working: required, in the future, at most one year away."
    )

    def to_domain(self) -> IssuePartnerToken:
        return IssuePartnerToken(
            name=self.name,
            partner_id=decode_id(self.partner, "Organisation"),
            organisation_ids=[decode_id(i, "Organisation") for i in self.organisations],
            scopes=list(self.scopes),
            expires_at=self.expires_at,
        )


@strawberry.input(description="The token to revoke.")
class RevokeTokenInput:
    id: strawberry.ID = strawberry.field(description="The token's global id.")

    def to_domain(self) -> RevokeToken:
        return RevokeToken(id=decode_id(self.id, "ApiToken"))


@strawberry.input(name="TokenFilter", description="Which tokens to list; all conditions must hold.")
class TokenFilterInput:
    issuer: strawberry.ID | None = strawberry.field(default=None, description="Issued by.")
    partner: strawberry.ID | None = strawberry.field(default=None, description="Used by.")
    organisation: strawberry.ID | None = strawberry.field(
        default=None, description="Naming this organisation."
    )
    status: TokenStatus | None = strawberry.field(default=None, description="In this state now.")

    def to_domain(self) -> TokenFilter:
        return TokenFilter(
            issuer_id=decode_optional(self.issuer, "Person"),
            partner_id=decode_optional(self.partner, "Organisation"),
            organisation_id=decode_optional(self.organisation, "Organisation"),
            status=self.status,
        )


@strawberry.input(
    name="TokenFilterInput",
    description="The old name of TokenFilter (the same fields), taken by the deprecated tokens "
    "field.",
)
class LegacyTokenFilterInput(TokenFilterInput):
    pass
