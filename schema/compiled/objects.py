"""How an object type's fields compile to JSON-building SQL.

A type that compiles has an ObjectSpec: its GraphQL name, its table and, per field, a
FieldSpec that turns the field's selection into a SQL expression of its JSON value. A
field without a spec is answered by the resolvers (the whole root field falls back).
Related objects are correlated subqueries scoped by the same policy conditions the
DataLoaders apply, so a row the caller may not read comes out null, as it does there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from resolvers.context import RequestContext
from schema.compiled.json_sql import JsonSql
from schema.compiled.kept import KeptExpression
from schema.compiled.pages import PageArguments
from schema.compiled.plans import NodePlan
from schema.compiled.selection import NotCompilable, Selected
from schema.compiled.sqlite_depth import check_parses


@dataclass
class Build:
    """One compilation: the caller (whose grants scope related rows), the dialect, the
    masked-field notes the statement reports per row: (field label, masked when), and the
    nested pages whose size and cursor each request binds."""

    ctx: RequestContext
    json: JsonSql
    masks: list[tuple[str, ColumnElement[bool]]] = field(default_factory=list)
    # Subqueries deep: a masked field must sit at the top, where its flag is a column.
    depth: int = 0
    pages: list[PageArguments] = field(default_factory=list)

    def inner(self) -> Build:
        """The same compilation one subquery deeper (the same notes and pages)."""
        return replace(self, depth=self.depth + 1)

    def plan(self, documents: Mapping[str, ColumnElement[Any]]) -> NodePlan:
        """The kept plan of this compilation: DOCUMENTS (per node response key, its JSON
        text), its masked-field notes and its nested pages. Their cache keys are taken once
        (KeptExpression): a kept plan's expressions never change."""
        if not self.json.postgres:
            check_parses(documents.values(), self.ctx.db.dialect)
        return NodePlan(
            [(key, KeptExpression(document)) for key, document in documents.items()],
            [(label, KeptExpression(masked)) for label, masked in self.masks],
            tuple(self.pages),
        )


FieldSpec = Callable[[Build, Selected], sa.SQLColumnExpression[Any]]
# A column of the type's table, as sqlmodel's col() gives it.
Column = sa.SQLColumnExpression[Any]


class ReadsArguments:
    """A field spec that reads its field's arguments itself (a nested connection's page);
    every other field with arguments is left to the resolvers."""

    def __call__(self, build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
        raise NotImplementedError


@dataclass(frozen=True)
class ObjectSpec:
    typename: str
    fields: Mapping[str, FieldSpec]


def compile_object(build: Build, spec: ObjectSpec, selected: tuple[Selected, ...]) -> Any:
    """The JSON object of SELECTED on one row of SPEC's table (in the enclosing FROM)."""
    pairs: list[tuple[str, sa.SQLColumnExpression[Any]]] = []
    for item in selected:
        if item.name == "__typename":
            pairs.append((item.key, sa.literal_column(f"'{spec.typename}'", sa.Text)))
            continue
        compile_field = spec.fields.get(item.name)
        if compile_field is None:
            raise NotCompilable(f"{spec.typename}.{item.name}")
        if item.node.arguments and not isinstance(compile_field, ReadsArguments):
            raise NotCompilable(f"{spec.typename}.{item.name} with arguments")
        pairs.append((item.key, compile_field(build, item)))
    try:
        return build.json.object(pairs)
    except ValueError as too_many:
        raise NotCompilable(str(too_many)) from too_many


# Field specs for plain columns.


def plain(column: Column) -> FieldSpec:
    """A string or integer column, as it is."""
    return lambda build, selected: column


def timestamp(column: Column) -> FieldSpec:
    return lambda build, selected: build.json.timestamp(column)


def day(column: Column) -> FieldSpec:
    return lambda build, selected: build.json.date(column)


def enum(column: Column, members: type[Enum]) -> FieldSpec:
    """An enum column: stored as the member's value, answered as its name."""
    if any(member.name != member.value for member in members):
        raise TypeError(f"{members.__name__}: stored values differ from GraphQL names")
    return plain(column)


def enum_json_list(column: Column, members: type[Enum]) -> FieldSpec:
    """A JSON column holding a list of enum values, answered as their names (in order)."""
    enum(column, members)  # the same check: stored values are the GraphQL names
    return lambda build, selected: build.json.stored(column)


def global_id(type_name: str, column: Column) -> FieldSpec:
    return lambda build, selected: build.json.global_id(type_name, column)


def boolean(condition: Callable[[], ColumnElement[bool]]) -> FieldSpec:
    return lambda build, selected: build.json.boolean(condition())


def on_request_day(condition: Callable[[date], ColumnElement[bool]]) -> FieldSpec:
    """Whether CONDITION holds on the request's day (plans are kept per day)."""
    return lambda build, selected: build.json.boolean(condition(build.ctx.today))


def enum_list_by(column: Column, lists: Mapping[Any, list[Any]]) -> FieldSpec:
    """A list of enum members that depends only on COLUMN's value (a CASE over them)."""

    def compile_field(build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
        whens = [
            (column == key.value, build.json.literal(json.dumps([m.name for m in members])))
            for key, members in lists.items()
        ]
        return sa.case(*whens, else_=build.json.literal("[]"))

    return compile_field


# Field specs for related objects.

Related = Callable[[RequestContext], sa.Select[Any]]


def related(
    target: Callable[[], ObjectSpec],
    rows: Related,
    *,
    masked: tuple[str, Callable[[RequestContext], ColumnElement[bool]]] | None = None,
) -> FieldSpec:
    """A related object: ROWS is a SELECT of the target table correlated to this row and
    scoped to what the caller may read (no columns needed). MASKED names the field and the
    condition under which the caller may know it: otherwise null, and noted."""

    def compile_field(build: Build, selected: Selected) -> sa.SQLColumnExpression[Any]:
        inner = build.inner()
        document = compile_object(inner, target(), selected.children)
        value = build.json.nested(rows(build.ctx).with_only_columns(document).scalar_subquery())
        if masked is None:
            return value
        label, allowed = masked
        if build.depth:
            raise NotCompilable(f"{label} below the top of the selection")
        condition = allowed(build.ctx)
        build.masks.append((label, sa.not_(condition)))
        return sa.case((condition, value), else_=sa.null())

    return compile_field
