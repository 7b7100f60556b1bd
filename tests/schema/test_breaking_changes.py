"""Schema stewardship: the released contract (schema/baseline.graphql) may only grow.

A removed field, a changed type or a new required argument fails here, unless the
field was already @deprecated in the baseline. graphql-core does the comparison.
To release a new contract on purpose: `jinlin schema export > schema/baseline.graphql`.
"""

from __future__ import annotations

from pathlib import Path

from graphql import (
    BreakingChangeType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
    find_breaking_changes,
)

from schema.schema import schema

BASELINE = Path(__file__).resolve().parents[2] / "schema" / "baseline.graphql"


def _deprecated_in_baseline(baseline: object, description: str) -> bool:
    # graphql-core describes a removed field as "Field Type.field was removed."
    words = description.split()
    name = words[1] if len(words) > 1 and words[0] == "Field" else ""
    if "." not in name:
        return False
    type_name, field_name = name.split(".", 1)
    graphql_type = baseline.get_type(type_name)  # type: ignore[attr-defined]
    if not isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType)):
        return False
    field = graphql_type.fields.get(field_name)
    return field is not None and field.deprecation_reason is not None


def test_no_breaking_change_against_the_released_contract() -> None:
    baseline = build_schema(BASELINE.read_text(encoding="utf-8"))
    changes = find_breaking_changes(baseline, schema._schema)
    breaking = [
        f"{change.type.name}: {change.description}"
        for change in changes
        if not (
            change.type is BreakingChangeType.FIELD_REMOVED
            and _deprecated_in_baseline(baseline, change.description)
        )
    ]
    assert breaking == [], "breaking changes against schema/baseline.graphql"


def test_the_check_catches_a_removed_field() -> None:
    baseline = build_schema("type Query { a: Int, b: Int }")
    current = build_schema("type Query { a: Int }")
    changes = find_breaking_changes(baseline, current)
    assert [c.type for c in changes] == [BreakingChangeType.FIELD_REMOVED]
    assert not _deprecated_in_baseline(baseline, changes[0].description)
    deprecated = build_schema('type Query { a: Int, b: Int @deprecated(reason: "use a") }')
    assert _deprecated_in_baseline(deprecated, changes[0].description)
