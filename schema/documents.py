"""A request's document: parsed and validated once per distinct text, charged before it is
validated, refused when it is ambiguous, and never worked on by the event loop.

Per schema, `DocumentPipeline` keeps the parsed documents and their validation errors
(LRU, bounded by the total length of the texts, so a flood of large documents cannot
fill memory), and the validation rules, built once. Per request, `DocumentGate` (a
strawberry extension) runs the steps in this order:

1. parse (cached; on a miss in a worker thread, so a long parse neither blocks other
   requests nor escapes the request timeout);
2. refuse a document with several operations when the request names none;
3. estimate the cost for this request's variables (linear, see schema/cost.py) and charge
   it to the caller's budget (at least one point, and one for a refused document), so
   invalid documents are paid for and an exhausted budget buys no validation;
4. validate (cached; on a miss in a worker thread): schema/document_limits.py first, and
   graphql-core's rules only for a document within those limits;
5. refuse the query above the maximum cost before it runs, and report the cost.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)
from strawberry.extensions import SchemaExtension

from resolvers.i18n import tr
from schema.cost import (
    DEFAULT_MAX_COST,
    CostBudget,
    QueryTooCostly,
    RateLimited,
    budget_key,
    kept_cost,
)
from schema.document_limits import DocumentLimits, check_document
from schema.error_text import TextError, text_of

# Total characters of the document texts kept parsed, and again of those kept validated.
# A parsed document takes ~120 bytes per character of a dense text, so ~30 MB at most.
DEFAULT_CACHE_CHARACTERS = 256 * 1024


@dataclass(frozen=True)
class _Parsed:
    document: DocumentNode | None
    error: GraphQLError | None
    size: int


@dataclass(frozen=True)
class _Validated:
    errors: tuple[GraphQLError, ...]
    size: int


def _copy(error: GraphQLError) -> GraphQLError:
    """A request's own copy of a cached error: error handling rewrites errors in place."""
    place = (error.nodes, error.source, error.positions, error.path, error.original_error)
    extensions = dict(error.extensions) if error.extensions else None
    text = text_of(error)
    if text is not None:  # its words are chosen per request
        return TextError(text, *place, extensions)
    return GraphQLError(error.message, *place, extensions)


class DocumentPipeline:
    """One schema's parser and validator, with the caches shared by all its requests."""

    def __init__(
        self,
        rules: Sequence[type[ASTValidationRule]],
        limits: DocumentLimits,
        *,
        max_tokens: int,
        hide_suggestions: bool,
        max_cost: int = DEFAULT_MAX_COST,
        budget: CostBudget | None = None,
        cache_characters: int = DEFAULT_CACHE_CHARACTERS,
    ) -> None:
        self.rules = tuple(rules)
        self.limits = limits
        self.max_tokens = max_tokens
        self.hide_suggestions = hide_suggestions
        self.max_cost = max_cost
        self.budget = budget
        self._lock = threading.Lock()
        self._parsed: LRUCache[str, _Parsed] = LRUCache(cache_characters, getsizeof=_size)
        self._validated: LRUCache[str, _Validated] = LRUCache(cache_characters, getsizeof=_size)

    def parse(self, query: str) -> DocumentNode:
        """QUERY's document (raising its syntax error), parsed at most once while cached."""
        with self._lock:
            found = self._parsed.get(query)
        if found is None:
            try:
                found = _Parsed(parse(query, max_tokens=self.max_tokens), None, len(query))
            except GraphQLError as error:
                found = _Parsed(None, error, len(query))
            self._keep(self._parsed, query, found)
        if found.error is not None:
            raise _copy(found.error)
        assert found.document is not None
        return found.document

    def is_parsed(self, query: str) -> bool:
        with self._lock:
            return query in self._parsed

    def operation_name(self, query: str) -> str | None:
        """The name of QUERY's only operation, for the log when the client named none;
        looked up among the documents parsed already, never parsed for this."""
        with self._lock:
            found = self._parsed.get(query)
        if found is None or found.document is None:
            return None
        operations = _operations(found.document)
        if len(operations) == 1 and operations[0].name is not None:
            return operations[0].name.value
        return None

    def errors(
        self, schema: GraphQLSchema, query: str, document: DocumentNode
    ) -> list[GraphQLError]:
        """QUERY's validation errors (DOCUMENT is its parse), validated at most once while
        cached."""
        with self._lock:
            found = self._validated.get(query)
        if found is None:
            found = _Validated(tuple(self._validate(schema, document)), len(query))
            self._keep(self._validated, query, found)
        return [_copy(error) for error in found.errors]

    def prepare(self, schema: GraphQLSchema, queries: Iterable[str]) -> dict[str, str]:
        """Parse and validate QUERIES before any request asks for them (a trusted-documents
        manifest, when the app starts): their first request then finds both done. The first
        problem of each query that fails, by query."""
        problems: dict[str, str] = {}
        for query in queries:
            try:
                document = self.parse(query)
            except GraphQLError as error:
                problems[query] = error.message
                continue
            errors = self.errors(schema, query, document)
            if errors:
                problems[query] = errors[0].message
        return problems

    def is_validated(self, query: str) -> bool:
        with self._lock:
            return query in self._validated

    def _validate(self, schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
        over_limits = check_document(document, self.limits).errors
        if over_limits:
            return over_limits
        return validate(schema, document, self.rules, hide_suggestions=self.hide_suggestions)

    def _keep(self, cache: LRUCache[str, Any], query: str, entry: _Parsed | _Validated) -> None:
        if entry.size > cache.maxsize:
            return  # larger than the whole cache: kept by no one
        with self._lock:
            cache[query] = entry


def _size(entry: _Parsed | _Validated) -> int:
    return entry.size


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


class DocumentGate(SchemaExtension):
    """One request's way through the pipeline (see the module's docstring)."""

    def __init__(self, pipeline: DocumentPipeline) -> None:
        super().__init__()
        self.pipeline = pipeline
        self.requested: int | None = None
        self.remaining: int | None = None

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        query = context.query
        if query and context.graphql_document is None:
            pipeline = self.pipeline
            try:
                if pipeline.is_parsed(query):
                    document = pipeline.parse(query)
                else:
                    document = await asyncio.to_thread(pipeline.parse, query)
            except GraphQLError:
                await self._charge(1)
                raise
            context.graphql_document = document
            await self._admit(document)
        yield

    async def _admit(self, document: DocumentNode) -> None:
        context = self.execution_context
        # strawberry's own choice, without a name, is the first operation.
        named: str | None = getattr(context, "_provided_operation_name", None)
        operations = _operations(document)
        if named is None and len(operations) > 1:
            await self._charge(1)
            raise TextError(
                tr(
                    "This document holds {count} operations; say which one to run with "
                    "`operationName`.",
                    count=len(operations),
                ),
                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
            )
        requested = kept_cost(context.schema._schema, document, context.variables, named)
        self.requested = requested
        # A query above the maximum never runs: it is charged like any refused document.
        await self._charge(max(1, requested) if requested <= self.pipeline.max_cost else 1)

    async def _charge(self, points: int) -> None:
        budget = self.pipeline.budget
        if budget is None:
            return
        spent = await budget.spend(budget_key(self.execution_context.context), points)
        self.remaining = spent.remaining
        if not spent.allowed:
            window, wait = f"{budget.window:g}", f"{spent.retry_after:.1f}"
            raise RateLimited(
                tr(
                    "You have used your budget of {limit} cost points per {window} seconds; try "
                    "again in {retry_after} seconds.",
                    limit=budget.limit,
                    window=window,
                    retry_after=wait,
                ),
                retryAfter=round(spent.retry_after, 1),
                remaining=spent.remaining,
            )

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        query, document = context.query, context.graphql_document
        if query and document is not None and context.pre_execution_errors is None:
            pipeline, schema = self.pipeline, context.schema._schema
            if pipeline.is_validated(query):
                errors = pipeline.errors(schema, query, document)
            else:
                errors = await asyncio.to_thread(pipeline.errors, schema, query, document)
            # Set, even empty: strawberry then skips its own validation.
            context.pre_execution_errors = errors
        yield

    def on_execute(self) -> Iterator[None]:
        maximum = self.pipeline.max_cost
        if self.requested is not None and self.requested > maximum:
            raise QueryTooCostly(
                tr(
                    "This query may return up to {requested} objects; the limit is {maximum}. Ask "
                    "for smaller pages (`first`) or fewer nested lists.",
                    requested=self.requested,
                    maximum=maximum,
                ),
                cost=self.requested,
                maximum=maximum,
            )
        yield

    def get_results(self) -> dict[str, object]:
        if self.requested is None:
            return {}
        cost: dict[str, object] = {"requested": self.requested, "maximum": self.pipeline.max_cost}
        if self.remaining is not None:
            cost["remaining"] = self.remaining
        return {"cost": cost}
