"""Reads of whole model rows as plain rows of the table's columns, not ORM entities.

A SELECT of a model (select(Issue)) makes SQLAlchemy build an entity per row: an instance,
its InstanceState, the identity map; a third of a list request's CPU. Reads only look at the
values, so a read of one model's rows selects the model's table columns instead: each row
is a `Row` whose attributes are the model's fields (every model is plain columns, no
methods, properties or relationships: tests/db/test_entity_rows.py holds them to it), and
a column read goes straight to the driver (db/direct_reads.py).

Writes keep their entities (they change them): only reads come here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.engine import Result
from sqlalchemy.sql import Executable
from sqlmodel import SQLModel

M = TypeVar("M", bound=SQLModel)

# Kept per statement object, as direct_reads keeps its compiled statements: the kept page
# and row statements live for the process, a request's own leave with it.
_as_columns: WeakKeyDictionary[sa.Select[Any], sa.Select[Any] | None] = WeakKeyDictionary()


def model_of(statement: sa.Select[Any]) -> type[SQLModel] | None:
    """The model STATEMENT selects whole, when it selects just that."""
    descriptions = statement.column_descriptions
    if len(descriptions) != 1:
        return None
    entity = descriptions[0].get("entity")
    if not (isinstance(entity, type) and issubclass(entity, SQLModel)):
        return None
    return entity if descriptions[0].get("expr") is entity else None


def as_columns(statement: sa.Select[Any]) -> sa.Select[Any] | None:
    """STATEMENT selecting its model's table columns instead of the model (same FROM, joins,
    conditions, order and limit); None when it does not select one model whole."""
    try:
        return _as_columns[statement]
    except KeyError:
        model = model_of(statement)
        table: Any = None if model is None else getattr(model, "__table__", None)
        found = None if table is None else statement.with_only_columns(*table.columns)
        _as_columns[statement] = found
        return found


def as_model(model: type[M], row: M) -> M:
    """ROW as an instance of MODEL (itself when it is one), for what needs the model's own
    machinery (pydantic's dump): a plain row has only the values."""
    if isinstance(row, model):
        return row
    table: Any = model.__table__  # type: ignore[attr-defined]
    return model(**{column.key: getattr(row, column.key) for column in table.columns})


# A read of a statement with its parameters (RequestContext.read).
Read = Callable[[Executable, Mapping[str, Any] | None], Awaitable[Result[Any]]]


async def read_whole(
    read: Read, statement: sa.Select[Any], parameters: Mapping[str, Any] | None = None
) -> list[Any]:
    """What `.scalars()` of STATEMENT would give (its first column's values), with a
    model's entities read as column rows."""
    columns = as_columns(statement)
    if columns is None:
        return list((await read(statement, parameters)).scalars().all())
    return list((await read(columns, parameters)).all())
