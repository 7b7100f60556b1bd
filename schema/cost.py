"""Static query cost: how many objects a query may return, known before it runs.

Each connection field costs its page size (`first` or `last`, or the default page) times
the cost multiplier of its parent; `nodes(ids:)` costs one per id; a list with a
`latest` argument costs that many (a page when omitted), and other lists with a
`first` argument (a top-N list) cost `first`; other lists are estimated at
LIST_ESTIMATE items; a single object costs 1. A query above the maximum is refused
before execution, and every response reports its cost in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from graphql import (
    FieldNode,
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

from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode
from resolvers.kept import KeptPer
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.fragments import fragments_of

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
            # The estimate runs before validation: a literal of thousands of digits is
            # refused there (not a 32-bit Int), and counts as a full page here.
            return int(value.value) if len(value.value) < 19 else MAX_PAGE_SIZE
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


class CostEstimator:
    """Cost at a multiplier of one: every figure scales with the multiplier, so a fragment's
    cost is computed once (in dependency order, see schema/fragments.py) and added at each
    of its spreads, times the multiplier there. Work linear in the document."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]):
        self.schema = schema
        self.document = document
        self.variables = variables
        self.fragments: dict[str, int] = {}
        # Selections looked at: the work done, which tests hold linear in the document.
        self.visits = 0

    def estimate(self, operation_name: str | None) -> int:
        operations = [
            d for d in self.document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        if operation_name is not None:
            operations = [o for o in operations if o.name and o.name.value == operation_name]
        if not operations:
            return 0
        root = self.schema.get_root_type(operations[0].operation)
        if root is None:
            return 0
        fragments = fragments_of(self.document)
        self.visits += fragments.visits
        for name in fragments.order:
            fragment = fragments.definitions[name]
            owner = self.schema.get_type(fragment.type_condition.name.value)
            # An unknown type condition fails validation; it costs nothing here.
            self.fragments[name] = (
                0 if owner is None else self.selection(owner, fragment.selection_set)
            )
        return self.selection(root, operations[0].selection_set)

    def selection(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> int:
        total = 0
        for selection in selection_set.selections:
            self.visits += 1
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                owner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selection(owner or parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                # Unknown, or closing a cycle: refused by validation; nothing here.
                total += self.fragments.get(selection.name.value, 0)
        return total

    def field(self, parent: GraphQLNamedType, node: FieldNode) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 0
        definition = parent.fields.get(node.name.value)
        if definition is None:  # __typename and introspection
            return 0
        named = get_named_type(definition.type)
        if parent.name.endswith(("Connection", "Edge")):
            # edges, node, pageInfo: the connection's page size already counted these objects.
            inner, own = 1, 0
        elif named.name.endswith("Connection"):
            # Forward or backward, a page is as large as asked (both given is refused later).
            sizes = [_int_argument(node, name, self.variables) for name in ("first", "last")]
            asked = [max(0, min(size, MAX_PAGE_SIZE)) for size in sizes if size is not None]
            inner = own = max(asked) if asked else DEFAULT_PAGE_SIZE
        elif is_list_type(get_nullable_type(definition.type)):
            length = _list_length(node, "ids", self.variables)
            if length is None and "latest" in definition.args:
                # "The LATEST most recent ...": as many as asked, a page when not said.
                latest = _int_argument(node, "latest", self.variables)
                length = DEFAULT_PAGE_SIZE if latest is None else max(0, min(latest, MAX_PAGE_SIZE))
            if length is None and (first := _int_argument(node, "first", self.variables)):
                length = max(0, min(first, MAX_PAGE_SIZE))  # a top-N list (volunteerRanking)
            inner = own = LIST_ESTIMATE if length is None else length
        elif isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
            inner = own = 1
        else:
            return 0
        if node.selection_set is not None:
            own += inner * self.selection(named, node.selection_set)
        return own


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> int:
    return CostEstimator(schema, document, variables or {}).estimate(operation_name)


# A document's cost depends only on it, the operation and the variables: a client sending
# the same query with the same variables again (a page, a poll) is not walked again.
_kept_costs: KeptPer[int] = KeptPer(1024)


def kept_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> int:
    """estimate_cost, kept per (schema, document, operation, variables) for documents the
    pipeline keeps (the same object for the same text)."""
    try:
        spelled = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # variables no JSON request could carry: estimated every time
        return estimate_cost(schema, document, variables, operation_name)
    kept = _kept_costs.get((schema, document), (operation_name, spelled))
    if kept is None:
        kept = _kept_costs.keep(
            (schema, document),
            (operation_name, spelled),
            estimate_cost(schema, document, variables, operation_name),
        )
    return kept
