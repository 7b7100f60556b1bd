"""IN over a list of values known when the statement is built.

SQLAlchemy sends `column.in_([...])` as one "expanding" parameter and renders its
placeholders anew at every execution: the statement's SQL is rebuilt each time (a
tenth of a short read's CPU) and never reaches psycopg as the same text, so it is
neither kept by db/direct_reads nor prepared on the server. A statement kept between
requests (a scope clause, a status set) names each value as a parameter of its own
instead, so its SQL stays the same from one run to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement


def in_values(column: sa.SQLColumnExpression[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """COLUMN IN (VALUES...), one bound parameter per value (false when there are none)."""
    listed = list(values)
    if not listed:
        return sa.false()
    if len(listed) == 1:
        return sa.and_(column == listed[0])
    type_ = getattr(column, "type", None)
    return sa.and_(column.in_([sa.literal(value, type_) for value in listed]))
