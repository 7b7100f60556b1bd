"""The Schema: types, limits and error handling put together."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.errors import MaskedFieldsNote, handle_errors, request_id_of
from schema.mutation import Mutation
from schema.query import Query
from schema.types.link import OrganisationLinkType
from schema.types.organisation import OrganisationType
from schema.types.person import PersonType
from schema.types.position import PositionType

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000


class JinlinSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Every error passes here once: unexpected ones are logged, all are made client-safe.
        context: Any = execution_context.context if execution_context else None
        handle_errors(errors, request_id_of(context))


def build_schema(*, max_depth: int = MAX_DEPTH) -> strawberry.Schema:
    return JinlinSchema(
        query=Query,
        mutation=Mutation,
        types=[OrganisationType, PersonType, PositionType, OrganisationLinkType],
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[
            MaskedFieldsNote,
            # Factories, not instances: strawberry builds fresh extensions per request.
            lambda: QueryDepthLimiter(max_depth=max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=256),
            lambda: ValidationCache(maxsize=256),
        ],
    )


schema = build_schema()
