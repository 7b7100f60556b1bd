"""The committed schema.graphql is the schema; every type and field is described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType

from schema.schema import schema

SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


def test_committed_sdl_matches_the_schema() -> None:
    assert SDL.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema/schema.graphql is stale: run `jinlin schema export > schema/schema.graphql`"
    )


def test_every_type_field_and_argument_is_described() -> None:
    missing: list[str] = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in ("Boolean", "String", "Int", "Float", "ID"):
            continue
        if not graphql_type.description and name not in ("Date", "DateTime"):
            missing.append(name)
        if isinstance(graphql_type, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType) and not graphql_type.description:
            missing.append(name)
    assert missing == []
