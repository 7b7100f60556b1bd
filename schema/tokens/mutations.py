"""Mutations on partner tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.tokens import partner as partner_tokens
from schema.context import Info
from schema.mutation_support import INPUT, decode_input_as
from schema.tokens.inputs import IssueTokenInput, RevokeTokenInput
from schema.tokens.types import ApiTokenType, IssuedTokenPayload


@strawberry.type
class TokenMutation:
    @strawberry.mutation(
        description="Issue a partner token and return its secret once. Needs token:issue over "
        "every named organisation (the compound's secretary; admins). The token acts as you, "
        "narrowed to those organisations and its scopes, and loses whatever you lose."
    )
    async def issue_token(
        self, info: Info, input: Annotated[IssueTokenInput, strawberry.argument(description=INPUT)]
    ) -> IssuedTokenPayload:
        data = await decode_input_as(info, "issueToken", "token", input, input.to_domain)
        issued = await partner_tokens.issue_partner_token(info.context, data)
        return IssuedTokenPayload(token=ApiTokenType.from_row(issued.token), secret=issued.secret)

    @strawberry.mutation(
        description="Revoke a token at once. Needs token:revoke: its issuer, or the secretary "
        "or an admin over one of its organisations. Revoking twice is a CONFLICT."
    )
    async def revoke_token(
        self, info: Info, input: Annotated[RevokeTokenInput, strawberry.argument(description=INPUT)]
    ) -> ApiTokenType:
        data = await decode_input_as(info, "revokeToken", "token", input, input.to_domain)
        return ApiTokenType.from_row(await partner_tokens.revoke_token(info.context, data))
