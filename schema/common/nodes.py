"""Node types by GraphQL name, each registered by its own domain's types module against a row
kind of policies/resources.py, for fetching any node by global id and naming the records
audit entries are about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.types.base import get_object_definition

from policies.resources import ROW_KINDS
from resolvers.context import RequestContext

NodeLoader = Callable[[RequestContext], DataLoader[int, Any]]


class FromRow(Protocol):
    @classmethod
    def from_row(cls, row: Any) -> relay.Node: ...


@dataclass(frozen=True)
class NodeType:
    kind: str
    type_name: str
    loader: NodeLoader
    from_row: Callable[[Any], relay.Node]


_BY_TYPE: dict[str, NodeType] = {}
_BY_KIND: dict[str, NodeType] = {}
# GraphQL type name -> its registration; complete once the schema is built.
NODE_TYPES: Mapping[str, NodeType] = MappingProxyType(_BY_TYPE)
# Row kind (policies/resources.py) -> its registration.
NODES_BY_KIND: Mapping[str, NodeType] = MappingProxyType(_BY_KIND)


def register_node(kind: str, type_: type[FromRow], loader: NodeLoader) -> None:
    """Serve TYPE_ as the node of row kind KIND, fetched (scoped) through LOADER."""
    if kind not in ROW_KINDS:
        raise ValueError(f"{kind!r} is no row kind of policies/resources.py")
    name = get_object_definition(type_, strict=True).name
    if name in _BY_TYPE or kind in _BY_KIND:
        raise ValueError(f"node {name} ({kind}) is registered twice")
    _BY_TYPE[name] = _BY_KIND[kind] = NodeType(kind, name, loader, type_.from_row)


def resource_type_name(resource_type: str) -> str | None:
    """The GraphQL type of the records audit entries of RESOURCE_TYPE are about."""
    kind = ROW_KINDS.get(resource_type)
    node = _BY_KIND.get(resource_type)
    return node.type_name if kind is not None and kind.audited and node is not None else None


def audited_resource_type(type_name: str) -> str | None:
    """The audit entries' resource type for records of the GraphQL type TYPE_NAME."""
    node = _BY_TYPE.get(type_name)
    return node.kind if node is not None and ROW_KINDS[node.kind].audited else None


async def load_node(ctx: RequestContext, type_name: str, node_id: int) -> relay.Node | None:
    """The node, or None when the type is unknown, the row is gone or the caller may not see it."""
    node = _BY_TYPE.get(type_name)
    if node is None:
        return None
    row = await node.loader(ctx).load(node_id)
    return node.from_row(row) if row is not None else None
