"""A field's selection as the response will have it: fragments inlined, @skip/@include
applied, fields of the same response key merged, in first-appearance order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_object_type,
)

from resolvers.kept import KeptPer


class NotCompilable(Exception):
    """The selection asks for something the compiler does not build: resolvers answer."""


@dataclass(frozen=True)
class Selected:
    """One response key: the field it reads, its first node (arguments), and what is
    selected below it (empty for a leaf)."""

    key: str
    name: str
    node: FieldNode
    type: GraphQLObjectType | None
    children: tuple[Selected, ...]

    def child_names(self) -> set[str]:
        return {child.name for child in self.children}


@dataclass(frozen=True)
class Document:
    """What collecting needs from the operation: the schema, fragments and variables."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]


def _included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, doc: Document) -> bool:
    for directive in node.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            raise NotCompilable(f"directive @{name}")
        value = directive.arguments[0].value if directive.arguments else None
        if isinstance(value, BooleanValueNode):
            flag = value.value
        elif isinstance(value, VariableNode):
            flag = bool(doc.variables.get(value.name.value))
        else:  # validation allows nothing else
            raise NotCompilable("a directive argument that is neither literal nor variable")
        if flag == (name == "skip"):
            return False
    return True


def _applies(condition: str | None, object_type: GraphQLObjectType, doc: Document) -> bool:
    if condition is None or condition == object_type.name:
        return True
    abstract = doc.schema.get_type(condition)
    if abstract is None or is_object_type(abstract):
        return False
    return doc.schema.is_sub_type(abstract, object_type)  # type: ignore[arg-type]


def _gather(
    selections: Iterable[SelectionNode],
    object_type: GraphQLObjectType,
    doc: Document,
    into: dict[str, list[FieldNode]],
) -> None:
    for selection in selections:
        if isinstance(selection, FieldNode):
            if _included(selection, doc):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = doc.fragments.get(selection.name.value)
            if fragment is None or not _included(selection, doc):
                continue
            if _applies(fragment.type_condition.name.value, object_type, doc):
                _gather(fragment.selection_set.selections, object_type, doc, into)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            if _included(selection, doc) and _applies(condition, object_type, doc):
                _gather(selection.selection_set.selections, object_type, doc, into)


def collect(
    selection_sets: Iterable[SelectionSetNode | None],
    object_type: GraphQLObjectType,
    doc: Document,
) -> tuple[Selected, ...]:
    """The response keys below OBJECT_TYPE's selection sets, recursively."""
    grouped: dict[str, list[FieldNode]] = {}
    for selection_set in selection_sets:
        if selection_set is not None:
            _gather(selection_set.selections, object_type, doc, grouped)
    found: list[Selected] = []
    for key, nodes in grouped.items():
        first = nodes[0]
        name = first.name.value
        if name == "__typename":
            found.append(Selected(key, name, first, None, ()))
            continue
        field = object_type.fields.get(name)
        if field is None:  # validation refused this before: never reached
            raise NotCompilable(f"unknown field {name}")
        named = get_named_type(field.type)
        if is_object_type(named):
            assert isinstance(named, GraphQLObjectType)
            children = collect((node.selection_set for node in nodes), named, doc)
            found.append(Selected(key, name, first, named, children))
        elif any(node.selection_set for node in nodes):
            # An interface or union below (node, nodes): not compiled yet.
            raise NotCompilable(f"the abstract type under {name}")
        else:
            found.append(Selected(key, name, first, None, ()))
    return tuple(found)


def variables_of(info: GraphQLResolveInfo[Any]) -> dict[str, Any]:
    """The request's variables, coerced (strawberry hands resolvers them as a plain dict)."""
    return cast(dict[str, Any], info.variable_values)


def switches_of(info: GraphQLResolveInfo[Any]) -> tuple[tuple[str, bool], ...]:
    """The boolean variables of the request: all @skip/@include may read, and so part of
    every key a compiled selection or plan is kept under."""
    variables = variables_of(info)
    return tuple(sorted((k, v) for k, v in variables.items() if isinstance(v, bool)))


# A field's selection per (its nodes in a parsed document the pipeline keeps, the boolean
# variables @skip/@include may read): the same document asked again is not walked again.
_kept: KeptPer[tuple[Selected, ...] | NotCompilable] = KeptPer(1024)


def collect_field(
    info: GraphQLResolveInfo[Any], object_type: GraphQLObjectType, switches: tuple[Any, ...]
) -> tuple[Selected, ...]:
    """What the field INFO resolves selects below OBJECT_TYPE (`collect`), kept."""
    nodes = tuple(info.field_nodes)
    parts = (switches, object_type.name)
    kept = _kept.get(nodes, parts)
    if isinstance(kept, NotCompilable):
        raise kept
    if kept is not None:
        return kept
    doc = Document(info.schema, info.fragments, variables_of(info))
    try:
        selected = collect((node.selection_set for node in nodes), object_type, doc)
    except NotCompilable as reason:
        _kept.keep(nodes, parts, reason)
        raise
    _kept.keep(nodes, parts, selected)
    return selected
