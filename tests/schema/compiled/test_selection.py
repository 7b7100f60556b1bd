"""Collecting a field's selection as the response will have it."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import FieldNode, GraphQLObjectType, OperationDefinitionNode, parse

from schema.compiled.selection import Document, NotCompilable, Selected, collect
from schema.schema import schema


def _issues(document: str, variables: dict[str, Any] | None = None) -> tuple[Selected, ...]:
    """The selection below the first issues field's edges.node of DOCUMENT."""
    parsed = parse(document)
    graphql_schema = schema._schema
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {d.name.value: d for d in parsed.definitions if hasattr(d, "type_condition")}
    root = operation.selection_set.selections[0]
    assert isinstance(root, FieldNode)
    connection = graphql_schema.get_type("IssueConnection")
    assert isinstance(connection, GraphQLObjectType)
    doc = Document(graphql_schema, fragments, variables or {})  # type: ignore[arg-type]
    (edges,) = collect([root.selection_set], connection, doc)
    (node,) = edges.children
    return node.children


def _keys(selected: tuple[Selected, ...]) -> list[str]:
    return [item.key for item in selected]


def test_fragments_are_inlined_in_first_appearance_order() -> None:
    found = _issues(
        "{ issues { edges { node { title ...F ... on Issue { status } id } } } }"
        " fragment F on Issue { dueAt title }"
    )
    assert _keys(found) == ["title", "dueAt", "status", "id"]


def test_a_fragment_on_an_interface_the_type_implements_applies() -> None:
    found = _issues("{ issues { edges { node { ... on Node { id } title } } } }")
    assert _keys(found) == ["id", "title"]


def test_skip_and_include_read_literals_and_variables() -> None:
    document = (
        "query ($a: Boolean!) { issues { edges { node {"
        " id @skip(if: true) title @include(if: $a) status @skip(if: $a) } } } }"
    )
    assert _keys(_issues(document, {"a": True})) == ["title"]
    assert _keys(_issues(document, {"a": False})) == ["status"]


def test_same_key_merges_the_selections_below() -> None:
    found = _issues("{ issues { edges { node { c: compound { name } c: compound { id } } } } }")
    (compound,) = found
    assert (compound.key, compound.name) == ("c", "compound")
    assert _keys(compound.children) == ["name", "id"]


def test_an_abstract_type_below_is_not_compiled() -> None:
    # No field of Issue returns an interface; the connection's own shape is checked by name.
    with pytest.raises(NotCompilable):
        parsed_schema = schema._schema
        query = parsed_schema.get_type("Query")
        assert isinstance(query, GraphQLObjectType)
        root = parse('{ node(id: "x") { id } }').definitions[0]
        assert isinstance(root, OperationDefinitionNode)
        collect([root.selection_set], query, Document(parsed_schema, {}, {}))
