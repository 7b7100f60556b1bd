"""Input objects converted with their field types resolved once, not at every request.

strawberry converts an input value field by field, resolving each field's annotation
anew every time (`StrawberryField.resolve_type`, generic checks): a list's filter of a
dozen optional fields cost about a sixth of a compiled 100-issue page. Through the
`from_input` hook strawberry offers (`StrawberryObjectDefinition.from_input`), each input
type here resolves its fields' types at its first value and keeps them; a null is taken as
it is (what strawberry makes of it for an optional field), and any other value is
converted by strawberry itself (`InputContext.convert`), nested inputs and global ids
included. Types with a `Maybe` field keep strawberry's own way: setting the hook would
turn off its check of nulls sent for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

from graphql import GraphQLInputObjectType, GraphQLSchema
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryMaybe, StrawberryObjectDefinition, StrawberryType

FromInput = Callable[[type, Mapping[str, Any], InputContext], Any]
# (GraphQL name, Python name, resolved type) of each field of an input type.
Fields = list[tuple[str, str, StrawberryType | type]]


def install_kept_input_conversion(schema: GraphQLSchema) -> None:
    """Give every input type of SCHEMA without a Maybe field the kept conversion."""
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLInputObjectType):
            continue
        definition = (type_.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        if definition.from_input is None and not _has_maybe(definition):
            definition.from_input = _kept_conversion(definition)


def _has_maybe(definition: StrawberryObjectDefinition) -> bool:
    return any(
        isinstance(field.resolve_type(type_definition=definition), StrawberryMaybe)
        for field in definition.fields
    )


def _kept_conversion(definition: StrawberryObjectDefinition) -> FromInput:
    kept: Fields | None = None
    # As strawberry does: a field without a default that the value leaves out is None.
    implicit = {
        field.python_name: None
        for field in definition.fields
        if field.default_value is MISSING and field.default_factory is MISSING
    }

    def from_input(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
        nonlocal kept
        if kept is None:
            name_of = context.config.name_converter.from_field
            kept = [
                (name_of(field), field.python_name, field.resolve_type(type_definition=definition))
                for field in definition.fields
            ]
        arguments: dict[str, Any] = dict(implicit)
        for graphql_name, python_name, field_type in kept:
            if graphql_name in value:
                given = value[graphql_name]
                arguments[python_name] = (
                    None if given is None else context.convert(given, field_type, graphql_name)
                )
        return cls(**arguments)

    return from_input
