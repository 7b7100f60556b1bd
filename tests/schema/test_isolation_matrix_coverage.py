"""The isolation matrix's documents select every field a query can reach, so a new field is
walked without anyone adding it: a field the generator cannot select fails here."""

from __future__ import annotations

from graphql import (
    FieldNode,
    GraphQLObjectType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    visit,
)

from schema.schema import schema
from tests.isolation.walk import Filler, node_document, node_types, root_document

GRAPHQL = schema._schema
FILLER = Filler(id="T3JnYW5pc2F0aW9uOjE=")


def reachable_fields() -> set[tuple[str, str]]:
    """(type, field) of every object type a query can reach from Query."""
    assert GRAPHQL.query_type is not None
    seen: set[str] = set()
    fields: set[tuple[str, str]] = set()
    pending: list[GraphQLObjectType] = [GRAPHQL.query_type]
    for name in node_types(GRAPHQL):  # reached through node(id) and nodes(ids)
        type_ = GRAPHQL.type_map[name]
        assert isinstance(type_, GraphQLObjectType)
        pending.append(type_)
    while pending:
        type_ = pending.pop()
        if type_.name in seen:
            continue
        seen.add(type_.name)
        for name, field in type_.fields.items():
            fields.add((type_.name, name))
            named = get_named_type(field.type)
            if isinstance(named, GraphQLObjectType):
                pending.append(named)
    return fields


class Selected(Visitor):
    def __init__(self, info: TypeInfo) -> None:
        super().__init__()
        self.info = info
        self.fields: set[tuple[str, str]] = set()

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.info.get_parent_type()
        if parent is not None and not node.name.value.startswith("__"):
            self.fields.add((parent.name, node.name.value))


def selected_fields() -> set[tuple[str, str]]:
    assert GRAPHQL.query_type is not None
    documents = [root_document(GRAPHQL, name, FILLER) for name in GRAPHQL.query_type.fields]
    documents += [node_document(GRAPHQL, name, FILLER) for name in node_types(GRAPHQL)]
    found: set[tuple[str, str]] = set()
    for document in documents:
        info = TypeInfo(GRAPHQL)
        visitor = Selected(info)
        visit(parse(document), TypeInfoVisitor(info, visitor))
        found |= visitor.fields
    return found


def test_the_matrix_selects_every_reachable_field() -> None:
    missing = reachable_fields() - selected_fields()
    assert not missing, sorted(missing)


def test_the_count_of_fields_is_plausible() -> None:
    assert len(reachable_fields()) > 300
