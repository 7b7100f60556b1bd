"""The Schema: types, limits and error handling put together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.audit.types import AuditEntryType
from schema.cost import DEFAULT_MAX_COST, CostBudget, QueryCost
from schema.directive_limit import MaxDirectivesLimiter
from schema.duplicate_fields import DEFAULT_MAX_DUPLICATES, duplicate_fields_rule
from schema.errors import MaskedFieldsNote, handle_errors, request_id_of
from schema.issues.meeting_types import JointMeetingType
from schema.issues.types import IssueEventType, IssueType
from schema.mutation import Mutation
from schema.organisations.link_types import OrganisationLinkType
from schema.organisations.types import OrganisationType
from schema.people.types import PersonType
from schema.positions.types import PositionType
from schema.query import Query


@dataclass(frozen=True)
class SchemaLimits:
    """What one query may ask for; see README "Limits" for why these defaults."""

    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 5000
    max_directives: int = 20
    max_duplicate_fields: int = DEFAULT_MAX_DUPLICATES
    # Operations one batched request may carry; 0 turns batching off (the default).
    max_batch_operations: int = 0
    max_cost: int = DEFAULT_MAX_COST
    # Production hides the schema from strangers: no introspection, no "did you mean".
    production: bool = False
    # Where callers spend query cost per time window; None: no rate limit.
    budget: CostBudget | None = None


class JinlinSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Every error passes here once: unexpected ones are logged, all are made client-safe.
        context: Any = execution_context.context if execution_context else None
        handle_errors(errors, request_id_of(context))


def build_schema(limits: SchemaLimits | None = None) -> strawberry.Schema:
    limits = limits or SchemaLimits()
    extensions: list[Any] = [
        MaskedFieldsNote,
        # Factories, not instances: strawberry builds fresh extensions per request.
        lambda: QueryDepthLimiter(max_depth=limits.max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: MaxDirectivesLimiter(max_directive_count=limits.max_directives),
        lambda: AddValidationRules([duplicate_fields_rule(limits.max_duplicate_fields)]),
        lambda: QueryCost(maximum=limits.max_cost, budget=limits.budget),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    if limits.production:
        extensions.append(DisableIntrospection)
    return JinlinSchema(
        query=Query,
        mutation=Mutation,
        types=[
            OrganisationType,
            PersonType,
            PositionType,
            OrganisationLinkType,
            IssueType,
            IssueEventType,
            JointMeetingType,
            AuditEntryType,
        ],
        config=StrawberryConfig(
            auto_camel_case=True,
            disable_field_suggestions=limits.production,
            # Batched requests only when configured, and then at most this many operations.
            batching_config=(
                {"max_operations": limits.max_batch_operations}
                if limits.max_batch_operations > 0
                else None
            ),
        ),
        extensions=extensions,
    )


schema = build_schema()
