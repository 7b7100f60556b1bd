"""Queries on partner tokens."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.pagination import Window
from resolvers.tokens import partner as partner_tokens
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.context import Info
from schema.tokens.inputs import TokenFilterInput
from schema.tokens.types import ApiTokenType


@strawberry.type
class TokenQuery:
    @strawberry.field(
        description="Tokens you may see, newest first: your own, and partner tokens naming an "
        "organisation you hold token:read over (secretary, supervisors, admins)."
    )
    async def tokens(
        self,
        info: Info,
        filter: Annotated[
            TokenFilterInput | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[ApiTokenType]:
        domain = filter.to_domain() if filter else partner_tokens.TokenFilter()
        page = await partner_tokens.list_tokens(
            info.context, domain, Window(first, after, last, before)
        )
        return to_connection(page, ApiTokenType.from_row)
