"""The Schema: types, limits and error handling put together."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import strawberry
from graphql import (
    ASTValidationRule,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    specified_rules,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.types import ExecutionContext, ExecutionResult

from schema.audit.types import AuditEntryType
from schema.compiled.execution import CompiledReadsExecutionContext
from schema.compiled.spliced import thaw
from schema.cost import DEFAULT_MAX_COST, CostBudget
from schema.document_limits import (
    DEFAULT_MAX_ALIASES,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_DIRECTIVES,
    DEFAULT_MAX_DUPLICATES,
    DEFAULT_MAX_EXPANDED_FIELDS,
    DEFAULT_MAX_MERGED_FRAGMENTS,
    DEFAULT_MAX_MERGED_SELECTIONS,
    DocumentLimits,
)
from schema.documents import DocumentGate, DocumentPipeline
from schema.errors import MaskedFieldsNote, handle_errors, locale_of, request_id_of
from schema.input_conversion import install_kept_input_conversion
from schema.input_rules import install_input_rules
from schema.issues.meeting_types import JointMeetingType
from schema.issues.types import IssueEventType, IssueType
from schema.lean_resolvers import install_lean_resolvers
from schema.mutation import Mutation
from schema.organisations.link_types import OrganisationLinkType
from schema.organisations.types import OrganisationType
from schema.people.types import PersonType
from schema.positions.types import PositionType
from schema.query import Query
from schema.subscription import Subscription


@dataclass(frozen=True)
class SchemaLimits:
    """What one query may ask for; see README "Limits" for why these defaults."""

    max_depth: int = DEFAULT_MAX_DEPTH
    max_aliases: int = DEFAULT_MAX_ALIASES
    max_tokens: int = 5000
    max_directives: int = DEFAULT_MAX_DIRECTIVES
    max_duplicate_fields: int = DEFAULT_MAX_DUPLICATES
    # Fields once every fragment spread is inlined (fragments spreading fragments twice).
    max_expanded_fields: int = DEFAULT_MAX_EXPANDED_FIELDS
    # Fields and fragment spreads gathered into one selection through fragments, and of
    # those the spreads (graphql-core compares them pairwise).
    max_merged_selections: int = DEFAULT_MAX_MERGED_SELECTIONS
    max_merged_fragments: int = DEFAULT_MAX_MERGED_FRAGMENTS
    # Operations one batched request may carry; 0 turns batching off (the default).
    max_batch_operations: int = 0
    max_cost: int = DEFAULT_MAX_COST
    # Production hides the schema from strangers: no introspection, no "did you mean".
    production: bool = False
    # Where callers spend query cost per time window; None: no rate limit.
    budget: CostBudget | None = None


class JinlinSchema(strawberry.Schema):
    # Set by build_schema: production removes every suggestion from error messages.
    hide_suggestions = False
    # Set by build_schema: the parsed documents, which the request log reads names from.
    documents: DocumentPipeline | None = None

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await super().execute(*args, **kwargs)
        # HTTP splices the database's JSON into the response; in process, plain values.
        if result.data and not getattr(kwargs.get("context_value"), "splice_json", False):
            result.data = thaw(result.data)
        return result

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Every error passes here once: unexpected ones are logged, all are made client-safe.
        context: Any = execution_context.context if execution_context else None
        handle_errors(errors, request_id_of(context), self.hide_suggestions, locale_of(context))


def validation_rules(production: bool) -> tuple[type[ASTValidationRule], ...]:
    """graphql-core's rules and strawberry's own, as strawberry would run them; production
    adds the refusal of introspection."""
    rules: tuple[type[ASTValidationRule], ...] = (
        *specified_rules,
        MaybeNullValidationRule,
        OneOfInputValidationRule,
    )
    return (*rules, NoSchemaIntrospectionCustomRule) if production else rules


def build_schema(limits: SchemaLimits | None = None) -> strawberry.Schema:
    limits = limits or SchemaLimits()
    # Built once per schema: the rules, the limits and the caches every request shares.
    pipeline = DocumentPipeline(
        validation_rules(limits.production),
        DocumentLimits(
            max_depth=limits.max_depth,
            max_aliases=limits.max_aliases,
            max_directives=limits.max_directives,
            max_duplicate_fields=limits.max_duplicate_fields,
            max_expanded_fields=limits.max_expanded_fields,
            max_merged_selections=limits.max_merged_selections,
            max_merged_fragments=limits.max_merged_fragments,
        ),
        max_tokens=limits.max_tokens,
        hide_suggestions=limits.production,
        max_cost=limits.max_cost,
        budget=limits.budget,
    )
    # strawberry wants a factory (an extension instance per request); the instance only
    # carries the request's cost and budget, everything else is the pipeline's.
    extensions: list[Any] = [MaskedFieldsNote, partial(DocumentGate, pipeline)]
    built = JinlinSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
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
        # A root field compiled to SQL answers finished JSON (schema/compiled).
        execution_context_class=CompiledReadsExecutionContext,
    )
    built.hide_suggestions = limits.production
    built.documents = pipeline
    install_input_rules(built._schema)
    install_kept_input_conversion(built._schema)
    install_lean_resolvers(built)
    return built


schema = build_schema()
