"""A nested connection over the enclosing row's own table (an organisation's children):
inside one SQL scope a table's name means its innermost reading, so the rows are read
through an alias of the table, and only the enclosing row's columns keep its name."""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter

E = TypeVar("E", bound=sa.ClauseElement)

_ENCLOSING = "jinlin_enclosing_row"


class OwnTable:
    """TABLE, read both by a nested connection's rows and by the row that encloses it."""

    def __init__(self, table: sa.Table) -> None:
        self.table = table

    @staticmethod
    def enclosing(column: Any) -> sa.ColumnElement[Any]:
        """COLUMN (a table's or a model's) of the enclosing row; the rows' own are plain."""
        element = column.__clause_element__() if hasattr(column, "__clause_element__") else column
        annotated: sa.ColumnElement[Any] = element._annotate({_ENCLOSING: True})
        return annotated

    def aliased(self, expression: E) -> E:
        """EXPRESSION (built over the table) reading the rows through a fresh alias and the
        enclosing row's columns as they are."""
        return _Adapter(self.table.alias()).traverse(expression)


class _Adapter(ClauseAdapter):
    def replace(self, col: Any, _include_singleton_constants: bool = False) -> Any:
        if getattr(col, "_annotations", {}).get(_ENCLOSING) is True:
            # Kept as it is, and plain from here out: a connection enclosing this one reads
            # it through its own alias (the enclosing row is then one of its rows). A copy,
            # never the table's own column: the traversal adapts no element it returned.
            return col._annotate({_ENCLOSING: False})
        return super().replace(col, _include_singleton_constants)
