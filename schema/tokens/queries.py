"""Queries on partner tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.pagination import Window
from resolvers.tokens import partner as partner_tokens
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.tokens.inputs import LegacyTokenFilterInput, TokenFilterInput
from schema.tokens.types import ApiTokenType

TOKENS = (
    "Tokens you may see, newest first: your own, and partner tokens naming an organisation you "
    "hold token:read over (secretary, supervisors, admins)."
)
First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]
Last = Annotated[int | None, strawberry.argument(description=LAST)]
Before = Annotated[str | None, strawberry.argument(description=BEFORE)]


async def _tokens(
    info: Info, filter: TokenFilterInput | None, window: Window
) -> Connection[ApiTokenType]:
    # One listing behind apiTokens and its deprecated twin tokens (old filter type name).
    domain = filter.to_domain() if filter else partner_tokens.TokenFilter()
    page = await partner_tokens.list_tokens(info.context, domain, window)
    return to_connection(page, ApiTokenType.from_row)


@strawberry.type
class TokenQuery:
    @strawberry.field(description=TOKENS)
    async def api_tokens(
        self,
        info: Info,
        filter: Annotated[
            TokenFilterInput | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ApiTokenType]:
        return await _tokens(info, filter, Window(first, after, last, before))

    @strawberry.field(description=TOKENS, deprecation_reason="Use apiTokens (filter: TokenFilter).")
    async def tokens(
        self,
        info: Info,
        filter: Annotated[
            LegacyTokenFilterInput | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ApiTokenType]:
        return await _tokens(info, filter, Window(first, after, last, before))
