"""In force on a day: from a start date up to, not including, an end date (none: open).

Positions, organisation links (contracts, co-building) and firms' standing all run
on these terms; this is the one statement of them, for rows in Python and for SQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

Day = date | sa.BindParameter[date]


def in_force(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day < end)


def in_force_sql(
    start: sa.SQLColumnExpression[Any], end: sa.SQLColumnExpression[Any], day: Day
) -> sa.ColumnElement[bool]:
    return sa.and_(start <= day, sa.or_(end.is_(None), end > day))


def in_force_during_sql(
    start: sa.SQLColumnExpression[Any],
    end: sa.SQLColumnExpression[Any],
    first: date,
    last: date,
) -> sa.ColumnElement[bool]:
    """In force on at least one day from FIRST to LAST, both included."""
    return sa.and_(start <= last, sa.or_(end.is_(None), end > first))
