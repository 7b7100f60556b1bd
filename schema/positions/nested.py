"""`Organisation.positions` and `Person.positions` in compiled reads: the positions list's
own rows (resolvers/positions/queries.py position_rows) under the enclosing organisation or
person, scoped by the caller's read condition (the OR of the list's scope branches), in
appointment order, with `titles` and `activeOn` as the document spells them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

import sqlalchemy as sa

from db.models import PositionTitle
from resolvers.context import RequestContext
from resolvers.positions import queries as positions
from schema.compiled.nested import NestedConnection
from schema.compiled.objects import ObjectSpec

KEYS = [
    cast(sa.ColumnElement[Any], key)
    for key in positions.ORDERS[positions.PositionOrder.APPOINTED].keys
]


def _position() -> ObjectSpec:
    # Read when compiling: the Position spec reads the Organisation and Person specs.
    from schema.positions.compiled import POSITION

    return POSITION


def _filter(given: Mapping[str, Any]) -> positions.PositionFilter:
    titles = given.get("titles")
    if isinstance(titles, str):  # a list argument given one value
        titles = [titles]
    day = given.get("activeOn")
    return positions.PositionFilter(
        titles=[PositionTitle[title] for title in titles or ()] or None,
        active_on=None if day is None else date.fromisoformat(day),
    )


def positions_of(
    *,
    organisation: sa.SQLColumnExpression[Any] | None = None,
    person: sa.SQLColumnExpression[Any] | None = None,
    filters: frozenset[str],
) -> NestedConnection:
    """The positions of the enclosing ORGANISATION or PERSON (its id column), filtered by
    the arguments FILTERS names."""

    def rows(ctx: RequestContext, given: Mapping[str, Any]) -> sa.Select[Any]:
        statement = positions.position_rows(
            _filter(given),
            organisation=cast(sa.ColumnElement[int] | None, organisation),
            person=cast(sa.ColumnElement[int] | None, person),
        )
        return statement.where(ctx.auth.decide(positions.RESOURCE, "read").where())

    return NestedConnection(_position, rows, KEYS, filters=filters)
