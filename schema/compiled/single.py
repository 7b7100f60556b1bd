"""An object field answered by one statement that builds its JSON (`me { person }`).

As for a connection (schema/compiled/connection.py), the field's selection compiles
through its type's ObjectSpec into a plan kept per (document, caller's shape); the statement reads
the one row the resolver would read, scoped the same way, and the database's JSON goes
into the response as it is. A selection the spec lacks leaves the field to its resolver.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
import structlog
from graphql import GraphQLObjectType

from resolvers.context import RequestContext
from resolvers.kept import KeptPer
from schema.compiled.json_sql import JsonSql
from schema.compiled.objects import Build, ObjectSpec, compile_object
from schema.compiled.pages import page_parameters
from schema.compiled.plans import CAPACITY, NodePlan, node_plan
from schema.compiled.selection import (
    NotCompilable,
    Selected,
    collect_field,
    switches_of,
    variables_of,
)
from schema.context import Info

log = structlog.get_logger("jinlin.compiled")


@dataclass(frozen=True)
class CompiledObject:
    """An object field the compiler answers: its JSON document and masked-field flags, and
    this request's values of its parameters (nested pages and the caller's ids)."""

    plan: NodePlan
    parameters: dict[str, Any]


def object_selection(
    info: Info, spec: ObjectSpec, object_type: GraphQLObjectType
) -> CompiledObject | None:
    """The compiled form of this object field as an OBJECT_TYPE (the field may return an
    interface: `node`), built by SPEC, when the compiler builds all of its selection; None
    otherwise (its resolver answers)."""
    ctx = info.context
    if not ctx.compiled_reads:
        return None
    raw = info._raw_info
    switches = switches_of(raw)
    parts = (switches, object_type.name)
    try:
        selected = collect_field(raw, object_type, switches)
        planned = node_plan(
            ctx, raw.field_nodes[0], parts, lambda built: _plan(built, selected, spec)
        )
        plan = planned.plan
        parameters = {**page_parameters(plan.pages, variables_of(raw)), **planned.parameters}
    except NotCompilable as reason:
        log.debug("object field", field=raw.field_name, served_by="resolvers", reason=str(reason))
        return None
    return CompiledObject(plan, parameters)


def _plan(ctx: RequestContext, selected: tuple[Selected, ...], spec: ObjectSpec) -> NodePlan:
    build = Build(ctx, JsonSql(ctx.db.dialect_name))
    document = build.json.text(compile_object(build, spec, selected))
    return build.plan({"": document})


# The statement of a kept plan over a kept row statement: as many as there are plans.
_statements: KeptPer[sa.Select[Any]] = KeptPer(CAPACITY)


def _statement(
    plan: NodePlan, rows: sa.Select[Any], key: sa.ColumnElement[Any] | None = None
) -> sa.Select[Any]:
    """ROWS selecting KEY (if given), the document and the masked-field flags."""
    kept = _statements.get((plan, rows))
    if kept is None:
        columns = [] if key is None else [key]
        columns += [document for _, document in plan.documents]
        columns += [masked for _, masked in plan.masks]
        kept = _statements.keep((plan, rows), (), rows.with_only_columns(*columns))
    return kept


async def answer_object(
    info: Info, field: CompiledObject, rows: sa.Select[Any], parameters: dict[str, Any]
) -> orjson.Fragment | None:
    """The object FIELD asks for, on the row ROWS selects with PARAMETERS (a statement
    kept by the caller, scoped as the resolver's read is); None when there is none."""
    ctx = info.context
    row = (await ctx.read(_statement(field.plan, rows), {**parameters, **field.parameters})).first()
    _served(info)
    if row is None:
        return None
    _note_masks(ctx, field.plan, row, start=1)
    return orjson.Fragment(row[0])


async def answer_objects(
    info: Info,
    field: CompiledObject,
    rows: sa.Select[Any],
    key: sa.ColumnElement[Any],
    parameters: dict[str, Any],
) -> dict[Any, orjson.Fragment]:
    """The objects FIELD asks for on the rows ROWS selects with PARAMETERS, by their KEY
    column (`nodes`: one statement per type asked for)."""
    ctx = info.context
    statement = _statement(field.plan, rows, key)
    found = (await ctx.read(statement, {**parameters, **field.parameters})).all()
    _served(info)
    answers: dict[Any, orjson.Fragment] = {}
    for row in found:
        values = tuple(row)
        _note_masks(ctx, field.plan, values, start=2)
        answers[values[0]] = orjson.Fragment(values[1])
    return answers


def _served(info: Info) -> None:
    raw = info._raw_info
    path = ".".join(str(key) for key in raw.path.as_list())
    if path not in info.context.compiled_fields:
        info.context.compiled_fields.append(path)
    log.debug("object field", field=raw.field_name, served_by="compiled")


def _note_masks(ctx: RequestContext, plan: NodePlan, row: Any, *, start: int) -> None:
    for position, (label, _) in enumerate(plan.masks, start=start):
        if row[position]:
            ctx.masked_fields.add(label)
