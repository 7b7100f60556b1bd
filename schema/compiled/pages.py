"""The page a nested connection reads (`timeline(first: $n, after: $cursor)`, or `last` and
`before`), given per request: its size and cursor are bind parameters of a kept plan, read
from the document's literals or the request's variables and checked as the resolver checks
them.

A value the resolver would refuse (a size out of range, a cursor it did not give out for
this list) leaves the root field to the resolvers, which refuse it with their own error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from graphql import Undefined, ValueNode, value_from_ast_untyped

from resolvers.cursors import cursor_parameter, cursor_parameters
from resolvers.errors import BadUserInput
from resolvers.pagination import Window
from schema.compiled.selection import NotCompilable


@dataclass(frozen=True, eq=False)
class PageArguments:
    """The page's size and cursor as the document spells them (a literal, a variable or
    absent): `first` and `after`, or `last` and `before` for a BACKWARD page; the
    parameters SIZE and CURSOR (one per key) the plan's statement reads them from; KEYS
    and TAG are the list's, for reading the cursor."""

    field: str
    count: ValueNode | None
    start: ValueNode | None
    backward: bool
    size: sa.BindParameter[int]
    cursor: tuple[sa.BindParameter[Any], ...]
    keys: tuple[sa.ColumnElement[Any], ...]
    tag: str

    def values(self, variables: dict[str, Any]) -> dict[str, Any]:
        """This request's values of SIZE and CURSOR (the cursor's keys, or None)."""
        count, start = _value(self.count, variables), _value(self.start, variables)
        window = Window(last=count, before=start) if self.backward else Window(count, start)
        if window.backward != self.backward:  # `last: null, before: null` reads forward
            raise NotCompilable(f"{self.field}: a page the other way than the plan's")
        try:
            # The resolver's own checks (resolvers/pagination.py, resolvers/cursors.py).
            size = window.size
            found = cursor_parameters(self.keys, self.tag, window.cursor)
        except BadUserInput as refused:
            raise NotCompilable(f"{self.field}: the resolver refuses this page") from refused
        values: dict[str, Any] = {self.size.key: size}
        for position, parameter in enumerate(self.cursor):
            values[parameter.key] = found.get(cursor_parameter(position))
        return values


def page_parameters(pages: Sequence[PageArguments], variables: dict[str, Any]) -> dict[str, Any]:
    """The bind parameters of every nested page of a plan, for this request."""
    parameters: dict[str, Any] = {}
    for page in pages:
        parameters.update(page.values(variables))
    return parameters


def _value(node: ValueNode | None, variables: dict[str, Any]) -> Any:
    if node is None:
        return None
    # Validation has typed it (Int, String); an unset variable is the argument's default.
    value = value_from_ast_untyped(node, variables)
    return None if value is Undefined else value
