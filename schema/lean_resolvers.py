"""Fields with a resolver but no arguments, called without strawberry's per-call wrapping.

For every field with a resolver, strawberry builds at each call an Info, converts the
(absent) arguments, looks for the resolver's self/root/parent/info parameters, chains the
field extensions with functools.partial and reduce, and (for an async resolver) wraps it
in one more coroutine: about half the cost of a field like `Issue.overdue`, and a list page
asks for hundreds. A field with no arguments, no field extensions (permission classes are
extensions) and no exception handler needs none of that decided per call: which parameters
the resolver takes is known once, so the resolver is called directly with them.

What the resolver is given is exactly what strawberry gives it (source as self, root or
parent; an Info of the schema's info class), so every answer stays the same.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from graphql import GraphQLField, GraphQLObjectType, GraphQLResolveInfo
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF


def install_lean_resolvers(schema: Any) -> int:
    """Give SCHEMA's (a strawberry Schema) argument-free resolver fields their direct call;
    the number of fields changed. The subscription type is left alone (its fields stream)."""
    if schema.exception_handlers or any(_resolves(extension) for extension in schema.extensions):
        return 0
    graphql_schema = schema._schema
    info_class = schema.config.info_class
    changed = 0
    for name, type_ in graphql_schema.type_map.items():
        if name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        if type_ is graphql_schema.subscription_type:
            continue
        for field in type_.fields.values():
            lean = _lean(field, info_class)
            if lean is not None:
                field.resolve = lean
                changed += 1
    return changed


def _resolves(extension: Any) -> bool:
    """Whether a schema extension wraps every field's resolution (its `resolve`), which a
    direct call would skip."""
    factory = extension.func if isinstance(extension, partial) else extension
    cls = factory if isinstance(factory, type) else type(factory)
    return not issubclass(cls, SchemaExtension) or cls._implements_resolve()


def _lean(field: GraphQLField, info_class: Any) -> Any:
    definition = (field.extensions or {}).get(DEFINITION)
    if not isinstance(definition, StrawberryField) or field.args:
        return None
    resolver = definition.base_resolver
    if resolver is None or definition.extensions or definition.arguments:
        return None
    function: Any = resolver.wrapped_func
    takes_self = resolver.self_parameter is not None
    sources = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p]
    info_parameter = resolver.info_parameter
    info_name = None if info_parameter is None else info_parameter.name

    def lean(source: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
        kwargs = {name: source for name in sources}
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=definition)
        return function(source, **kwargs) if takes_self else function(**kwargs)

    return lean
