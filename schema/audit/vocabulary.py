"""The operation names the audit log's filter knows: the schema's mutations."""

from __future__ import annotations

from functools import cache

import strawberry


@cache
def operations(schema: strawberry.Schema) -> frozenset[str]:
    mutation = schema.get_type_by_name("Mutation")
    if mutation is None or not hasattr(mutation, "fields"):
        return frozenset()
    convert = schema.config.name_converter.get_graphql_name
    return frozenset(convert(field) for field in mutation.fields)
