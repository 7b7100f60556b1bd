"""Static query cost: how many objects a query may return, known before it runs.

Each connection field costs its page size (`first`, or the default page) times
the cost multiplier of its parent; `nodes(ids:)` costs one per id; a list with a
`latest` argument costs that many (a page when omitted), and other lists with a
`first` argument (a top-N list) cost `first`; other lists are estimated at
LIST_ESTIMATE items; a single object costs 1. A query above the maximum is refused
before execution, and every response reports its cost in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.language import DocumentNode
from graphql.type import GraphQLInterfaceType
from strawberry.extensions import SchemaExtension

from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

LIST_ESTIMATE = 10
DEFAULT_MAX_COST = 10_000


class QueryTooCostly(DomainError):
    code = ErrorCode.QUERY_TOO_COSTLY


class RateLimited(DomainError):
    code = ErrorCode.RATE_LIMITED


@dataclass(frozen=True)
class Budget:
    """What is left of a caller's cost budget after (not) spending on one request."""

    allowed: bool
    remaining: int
    retry_after: float


class CostBudget(Protocol):
    """Where callers spend query cost over a sliding window (app/rate_limit.py)."""

    limit: int
    window: float

    async def spend(self, key: str, points: int) -> Budget: ...


def budget_key(context: object) -> str:
    """Whose budget a request spends: its token's, or its address's without one."""
    if isinstance(context, RequestContext):
        if context.actor.token_id is not None:
            return f"token:{context.actor.token_id}"
        return f"address:{context.client_address or '-'}"
    return "address:-"


def _int_argument(node: FieldNode, name: str, variables: Mapping[str, Any]) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            found = variables.get(value.name.value)
            return found if isinstance(found, int) else None
    return None


def _list_length(node: FieldNode, name: str, variables: Mapping[str, Any]) -> int | None:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, ListValueNode):
            return len(value.values)
        if isinstance(value, VariableNode):
            found = variables.get(value.name.value)
            return len(found) if isinstance(found, list) else None
    return None


class _Estimator:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]):
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def selection(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode,
        multiplier: int,
        seen: frozenset[str],
    ) -> int:
        total = 0
        for node, owner in self._fields(parent, selection_set, seen):
            total += self.field(owner, node, multiplier, seen)
        return total

    def _fields(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                owner = self.schema.get_type(condition.name.value) if condition else parent
                yield from self._fields(owner or parent, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                owner = self.schema.get_type(fragment.type_condition.name.value) or parent
                yield from self._fields(owner, fragment.selection_set, seen | {name})

    def field(
        self, parent: GraphQLNamedType, node: FieldNode, multiplier: int, seen: frozenset[str]
    ) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:  # __typename and introspection
            return 0
        named = get_named_type(definition.type)
        if parent.name.endswith(("Connection", "Edge")):
            # edges, node, pageInfo: the connection's page size already counted these objects.
            inner, own = multiplier, 0
        elif named.name.endswith("Connection"):
            size = _int_argument(node, "first", self.variables)
            size = DEFAULT_PAGE_SIZE if size is None else max(0, min(size, MAX_PAGE_SIZE))
            inner = own = multiplier * size
        elif is_list_type(get_nullable_type(definition.type)):
            length = _list_length(node, "ids", self.variables)
            if length is None and "latest" in definition.args:
                # "The LATEST most recent ...": as many as asked, a page when not said.
                latest = _int_argument(node, "latest", self.variables)
                length = DEFAULT_PAGE_SIZE if latest is None else max(0, min(latest, MAX_PAGE_SIZE))
            if length is None and (first := _int_argument(node, "first", self.variables)):
                length = max(0, min(first, MAX_PAGE_SIZE))  # a top-N list (volunteerRanking)
            inner = own = multiplier * (LIST_ESTIMATE if length is None else length)
        elif isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
            inner = own = multiplier
        else:
            return 0
        if node.selection_set is not None:
            own += self.selection(named, node.selection_set, inner, seen)
        return own


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> int:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if not operations:
        return 0
    operation = operations[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    estimator = _Estimator(schema, document, variables or {})
    return estimator.selection(root, operation.selection_set, 1, frozenset())


class QueryCost(SchemaExtension):
    """Refuses queries above the maximum cost, or beyond the caller's budget, before they
    run; reports the cost always."""

    def __init__(self, maximum: int = DEFAULT_MAX_COST, budget: CostBudget | None = None) -> None:
        super().__init__()
        self.maximum = maximum
        self.budget = budget
        self.requested: int | None = None
        self.remaining: int | None = None

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            self.requested = estimate_cost(
                context.schema._schema, document, context.variables, context.operation_name
            )
            if self.requested > self.maximum:
                raise QueryTooCostly(
                    f"This query may return up to {self.requested} objects; the limit is "
                    f"{self.maximum}. Ask for smaller pages (`first`) or fewer nested lists.",
                    cost=self.requested,
                    maximum=self.maximum,
                )
            await self._spend(self.requested)
        yield

    async def _spend(self, requested: int) -> None:
        if self.budget is None:
            return
        # Every operation costs at least one point, so a flood of tiny ones is limited too.
        spent = await self.budget.spend(
            budget_key(self.execution_context.context), max(1, requested)
        )
        self.remaining = spent.remaining
        if not spent.allowed:
            raise RateLimited(
                f"You have used your budget of {self.budget.limit} cost points per "
                f"{self.budget.window:g} seconds; try again in {spent.retry_after:.1f} seconds.",
                retryAfter=round(spent.retry_after, 1),
                remaining=spent.remaining,
            )

    def get_results(self) -> dict[str, object]:
        if self.requested is None:
            return {}
        cost: dict[str, object] = {"requested": self.requested, "maximum": self.maximum}
        if self.remaining is not None:
            cost["remaining"] = self.remaining
        return {"cost": cost}
