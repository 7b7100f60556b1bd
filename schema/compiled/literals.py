"""A nested connection's filter arguments as the document spells them (`children(kinds:
[BUILDING])`): a kept plan is built for its document, so a literal is the same on every
request; a filter given by a variable is not, and leaves the field to the resolvers."""

from __future__ import annotations

from typing import Any

from graphql import ListValueNode, ObjectValueNode, ValueNode, VariableNode, value_from_ast_untyped

from schema.compiled.selection import NotCompilable, Selected


def literal_arguments(selected: Selected, names: frozenset[str]) -> dict[str, Any]:
    """SELECTED's arguments among NAMES as plain values (an enum member by its name, an
    input object as a dict); an argument absent or null is None."""
    found: dict[str, Any] = {}
    for argument in selected.node.arguments or ():
        name = argument.name.value
        if name not in names:
            continue
        if _has_variable(argument.value):
            raise NotCompilable(f"{selected.name}({name}:) given by a variable")
        found[name] = value_from_ast_untyped(argument.value)
    return found


def _has_variable(node: ValueNode) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(_has_variable(value) for value in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_has_variable(field.value) for field in node.fields)
    return False
