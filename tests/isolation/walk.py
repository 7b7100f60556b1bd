"""Documents generated from the schema itself, so a new field is in the matrix at once.

``object_selection(T)`` selects every field of T: scalars as they are, nested
objects down to their identities (``__typename`` and ``id``), connections as a
short first page of identities, and non-node objects (an agenda item, party
details) recursively, so any node reachable through a field is seen. Arguments
are filled from the schema: ``first`` gets a small page, required ones a value
of their type.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
)

from db import clock

PAGE = 3
# How far non-node objects are followed inside one selection.
MAX_DEPTH = 3
IDENTITY = "__typename ... on Node { id }"
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"


@dataclass(frozen=True)
class Filler:
    """Values for required arguments: the id to use for ID arguments, and scalars."""

    id: str

    def value(self, type_: GraphQLInputType, name: str = "") -> str:
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, name)
        if isinstance(type_, GraphQLList):
            return f"[{self.value(type_.of_type, name)}]"
        if name == "year" and type_.name == "Int":
            return str(clock.today().year)
        if isinstance(type_, GraphQLEnumType):
            return next(iter(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            required = [
                f"{name}: {self.value(field.type, name)}"
                for name, field in type_.fields.items()
                if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
            ]
            return "{" + ", ".join(required) + "}"
        return {
            "ID": f'"{self.id}"',
            "Int": "1",
            "Float": "1.0",
            "Boolean": "true",
            "String": '"x"',
            "Date": f'"{clock.today().isoformat()}"',
            "DateTime": f'"{clock.now().isoformat()}"',
        }.get(type_.name, '"x"')


def is_connection(type_: object) -> bool:
    named = get_named_type(type_)  # type: ignore[arg-type]
    return (
        isinstance(named, GraphQLObjectType)
        and "edges" in named.fields
        and "pageInfo" in (named.fields)
    )


def is_node(type_: object) -> bool:
    named = get_named_type(type_)  # type: ignore[arg-type]
    if isinstance(named, GraphQLInterfaceType) and named.name == "Node":
        return True
    if isinstance(named, GraphQLUnionType):
        return True
    return isinstance(named, GraphQLObjectType) and any(i.name == "Node" for i in named.interfaces)


def edge_node(connection: object) -> GraphQLObjectType:
    """The node type of a connection type."""
    assert isinstance(connection, GraphQLObjectType)
    edge = get_named_type(connection.fields["edges"].type)
    assert isinstance(edge, GraphQLObjectType)
    node = get_named_type(edge.fields["node"].type)
    assert isinstance(node, GraphQLObjectType)
    return node


def arguments(field: GraphQLField, filler: Filler) -> str:
    parts = []
    for name, arg in field.args.items():
        if name == "first":
            parts.append(f"first: {PAGE}")
        elif isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined:
            parts.append(f"{name}: {filler.value(arg.type, name)}")
    return f"({', '.join(parts)})" if parts else ""


def field_selection(name: str, field: GraphQLField, filler: Filler, depth: int) -> str | None:
    """How field NAME is selected, or None when it cannot be (too deep)."""
    named = get_named_type(field.type)
    args = arguments(field, filler)
    if not isinstance(named, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
        return f"{name}{args}"
    if is_connection(field.type):
        node = edge_node(named)
        if is_node(node):
            inner = IDENTITY
        elif depth > 0:
            inner = object_selection(node, filler, depth - 1)
        else:
            return None
        return f"{name}{args} {{ totalCount {PAGE_INFO} edges {{ cursor node {{ {inner} }} }} }}"
    if is_node(field.type):
        return f"{name}{args} {{ {IDENTITY} }}"
    if depth <= 0:
        return None
    assert isinstance(named, GraphQLObjectType)
    inner = object_selection(named, filler, depth - 1)
    return f"{name}{args} {{ {inner} }}"


def object_selection(type_: GraphQLObjectType, filler: Filler, depth: int = MAX_DEPTH) -> str:
    parts = ["__typename"]
    for name, field in type_.fields.items():
        selected = field_selection(name, field, filler, depth)
        if selected is not None:
            parts.append(selected)
    return " ".join(parts)


def node_document(schema: GraphQLSchema, type_name: str, filler: Filler) -> str:
    """node(id) selecting every field of TYPE_NAME."""
    type_ = schema.type_map[type_name]
    assert isinstance(type_, GraphQLObjectType)
    return (
        "query ($id: ID!) { node(id: $id) { ... on "
        f"{type_name} {{ {object_selection(type_, filler)} }} }} }}"
    )


# Optional arguments and filter fields that narrow an entry point to one organisation.
PLACE_NAMES = ("compound", "subtree", "scope", "organisation")


def place_arguments(field: GraphQLField, filler: Filler) -> str:
    """Required arguments, plus the first argument or filter field naming a place, set to
    the filler's organisation, so an entry point is asked about that compound."""
    parts = [
        part
        for part in arguments(field, filler).strip("()").split(", ")
        if part and not any(part.startswith(f"{n}:") for n in PLACE_NAMES)
    ]
    for name, arg in field.args.items():
        if name in PLACE_NAMES and get_named_type(arg.type).name == "ID":
            return "(" + ", ".join([*parts, f'{name}: "{filler.id}"']) + ")"
    filter_arg = field.args.get("filter")
    if filter_arg is not None:
        filter_type = get_named_type(filter_arg.type)
        assert isinstance(filter_type, GraphQLInputObjectType)
        for name in PLACE_NAMES:
            if name in filter_type.fields:
                return "(" + ", ".join([*parts, f'filter: {{{name}: "{filler.id}"}}']) + ")"
    return f"({', '.join(parts)})" if parts else ""


def root_document(schema: GraphQLSchema, name: str, filler: Filler) -> str:
    """The Query field NAME asked about the filler's organisation, selecting everything."""
    assert schema.query_type is not None
    field = schema.query_type.fields[name]
    named = get_named_type(field.type)
    args = place_arguments(field, filler)
    if is_connection(field.type):
        assert isinstance(named, GraphQLObjectType)
        node_type = get_named_type(named.fields["edges"].type)
        assert isinstance(node_type, GraphQLObjectType)
        node = get_named_type(node_type.fields["node"].type)
        assert isinstance(node, GraphQLObjectType)
        inner = object_selection(node, filler)
        return f"query {{ {name}{args} {{ totalCount {PAGE_INFO} edges {{ cursor node {{ {inner} }} }} }} }}"
    if isinstance(named, GraphQLObjectType):
        return f"query {{ {name}{args} {{ {object_selection(named, filler)} }} }}"
    if isinstance(named, (GraphQLInterfaceType, GraphQLUnionType)):
        return f"query {{ {name}{args} {{ {IDENTITY} }} }}"
    return f"query {{ {name}{args} }}"


def connection_node_type(schema: GraphQLSchema, name: str) -> str | None:
    """The node type of the Query field NAME when it is a connection."""
    assert schema.query_type is not None
    field = schema.query_type.fields[name]
    if not is_connection(field.type):
        return None
    connection = get_named_type(field.type)
    assert isinstance(connection, GraphQLObjectType)
    edge = get_named_type(connection.fields["edges"].type)
    assert isinstance(edge, GraphQLObjectType)
    return get_named_type(edge.fields["node"].type).name


def identities(data: object) -> set[tuple[str, str]]:
    """Every (typename, global id) anywhere in a response."""
    found: set[tuple[str, str]] = set()
    if isinstance(data, dict):
        if "__typename" in data and "id" in data and isinstance(data["id"], str):
            found.add((data["__typename"], data["id"]))
        for value in data.values():
            found |= identities(value)
    elif isinstance(data, list):
        for value in data:
            found |= identities(value)
    return found


def node_types(schema: GraphQLSchema) -> list[str]:
    return sorted(
        name
        for name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and any(i.name == "Node" for i in type_.interfaces)
    )
