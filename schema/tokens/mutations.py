"""Mutations on partner tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.tokens import partner as partner_tokens
from resolvers.tokens.partner import ISSUE_TOKEN, REVOKE_TOKEN
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
from schema.tokens.inputs import IssueTokenInput, RevokeTokenInput
from schema.tokens.types import ApiTokenType, IssuedTokenPayload


@strawberry.type
class TokenMutation:
    @declared(
        ISSUE_TOKEN,
        "Issue a partner token and return its secret once.",
        "The token acts as you, narrowed to those organisations and its scopes, and loses "
        "whatever you lose.",
    )
    async def issue_token(
        self, info: Info, input: Annotated[IssueTokenInput, strawberry.argument(description=INPUT)]
    ) -> IssuedTokenPayload:
        data = await decode_input(info, ISSUE_TOKEN, input, input.to_domain)
        issued = await partner_tokens.issue_partner_token(info.context, data)
        return IssuedTokenPayload(token=ApiTokenType.from_row(issued.token), secret=issued.secret)

    @declared(REVOKE_TOKEN, "Revoke a token at once.", "Revoking twice is a CONFLICT.")
    async def revoke_token(
        self, info: Info, input: Annotated[RevokeTokenInput, strawberry.argument(description=INPUT)]
    ) -> ApiTokenType:
        data = await decode_input(info, REVOKE_TOKEN, input, input.to_domain)
        return ApiTokenType.from_row(await partner_tokens.revoke_token(info.context, data))
