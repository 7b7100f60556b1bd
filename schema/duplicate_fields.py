"""A limit on the same field asked for again and again in one selection
(graphql-cop "field duplication"): GraphQL merges the copies, but parsing and
validating hundreds of them is work an attacker gets for free."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import FieldNode, GraphQLError, SelectionSetNode, ValidationContext, ValidationRule

DEFAULT_MAX_DUPLICATES = 10


def duplicate_fields_rule(limit: int = DEFAULT_MAX_DUPLICATES) -> type[ValidationRule]:
    """A validation rule refusing a selection repeating one response key over LIMIT times."""

    class MaxDuplicateFields(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

        def enter_selection_set(self, node: SelectionSetNode, *_: Any) -> None:
            keys = Counter(
                (field.alias or field.name).value
                for field in node.selections
                if isinstance(field, FieldNode)
            )
            if not keys:
                return
            key, count = keys.most_common(1)[0]
            if count > limit:
                self.report_error(
                    GraphQLError(
                        f"'{key}' is asked for {count} times in one selection; at most {limit}.",
                        node,
                    )
                )

    return MaxDuplicateFields
