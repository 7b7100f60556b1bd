"""A limit on the directives one document may use (graphql-cop "directive overloading").

GraphQL validation already refuses a repeated non-repeatable directive (`@include`
twice on a field) and unknown ones, but it reports one error per occurrence after
walking them all; this refuses the document with a single error before validation.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DirectiveNode, GraphQLError, Node
from strawberry.extensions import SchemaExtension

DEFAULT_MAX_DIRECTIVES = 20


def count_directives(node: Node) -> int:
    total = 0
    stack: list[object] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, DirectiveNode):
            total += 1
        if isinstance(current, Node):
            for key in current.keys:
                value = getattr(current, key, None)
                if isinstance(value, Node):
                    stack.append(value)
                elif isinstance(value, (list, tuple)):
                    stack.extend(item for item in value if isinstance(item, Node))
    return total


class MaxDirectivesLimiter(SchemaExtension):
    """Refuses a document with more than MAX directives in all, before it is validated."""

    def __init__(self, max_directive_count: int = DEFAULT_MAX_DIRECTIVES) -> None:
        super().__init__()
        self.max_directive_count = max_directive_count

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        if document is not None:
            found = count_directives(document)
            if found > self.max_directive_count:
                raise GraphQLError(
                    f"This document uses {found} directives; the limit is "
                    f"{self.max_directive_count}.",
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
        yield
