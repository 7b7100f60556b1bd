"""A connection root field (edges, pageInfo, totalCount) answered by one statement.

The page statement is the list's own (resolvers: same filters, scope branches, keyset
order, limits and errors); the nodes' JSON is built around it by the database, and the
cursors and page info here, exactly as schema.common.connection.to_connection does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import orjson
import sqlalchemy as sa
import structlog
from graphql import GraphQLObjectType, get_named_type
from sqlalchemy.engine import Dialect

from resolvers.context import RequestContext
from resolvers.kept import KeptPer
from resolvers.pagination import KeysetQuery, Page, page_of
from schema.common.connection import PageInfo, page_info_of
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
from schema.compiled.spliced import Spliced
from schema.context import Info

log = structlog.get_logger("jinlin.compiled")

CONNECTION_FIELDS = {"edges", "pageInfo", "totalCount", "__typename"}
EDGE_FIELDS = {"cursor", "node", "__typename"}
PAGE_INFO_FIELDS = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}


@dataclass(frozen=True)
class CompiledField:
    """A root connection field the compiler answers: what it selects, the node
    documents built for this caller's shape, and this request's values of their
    parameters (nested pages and the caller's ids)."""

    selected: tuple[Selected, ...]
    plan: NodePlan
    parameters: dict[str, Any]


def connection_selection(info: Info, spec: ObjectSpec) -> CompiledField | None:
    """The compiled form of this connection field, with nodes built by SPEC, when the
    compiler builds all of it; None otherwise (the resolvers answer)."""
    ctx = info.context
    if not ctx.compiled_reads:
        return None
    raw = info._raw_info
    connection_type = get_named_type(raw.return_type)
    assert isinstance(connection_type, GraphQLObjectType)
    switches = switches_of(raw)
    try:
        selected = collect_field(raw, connection_type, switches)
        check_connection(selected)
        planned = node_plan(
            ctx, raw.field_nodes[0], switches, lambda built: _node_plan(built, selected, spec)
        )
        plan = planned.plan
        parameters = {**page_parameters(plan.pages, variables_of(raw)), **planned.parameters}
    except NotCompilable as reason:
        log.debug("root field", field=raw.field_name, served_by="resolvers", reason=str(reason))
        return None
    return CompiledField(selected, plan, parameters)


def check_connection(selected: tuple[Selected, ...]) -> None:
    """Refuse a connection selection with a part the compiler does not build."""
    for item in selected:
        if item.name not in CONNECTION_FIELDS:
            raise NotCompilable(f"connection field {item.name}")
        allowed = {"edges": EDGE_FIELDS, "pageInfo": PAGE_INFO_FIELDS}.get(item.name)
        if allowed is not None and not item.child_names() <= allowed:
            raise NotCompilable(f"{item.name} fields {sorted(item.child_names() - allowed)}")


def _nodes(selected: tuple[Selected, ...]) -> list[Selected]:
    return [
        node
        for item in selected
        if item.name == "edges"
        for node in item.children
        if node.name == "node"
    ]


def _node_plan(ctx: RequestContext, selected: tuple[Selected, ...], spec: ObjectSpec) -> NodePlan:
    build = Build(ctx, JsonSql(ctx.db.dialect_name))
    documents: dict[str, Any] = {}
    for node in _nodes(selected):
        if node.key not in documents:
            documents[node.key] = build.json.text(compile_object(build, spec, node.children))
    return build.plan(documents)


async def answer(info: Info, field: CompiledField, query: KeysetQuery) -> Any:
    """The connection FIELD asks for over QUERY's page."""
    ctx = info.context
    selected, plan = field.selected, field.plan
    node_keys = {key: position for position, (key, _) in enumerate(plan.documents)}
    statement = _statement(plan, query)
    arity = len(query.keys)
    parameters = {**query.parameters, **field.parameters} if field.parameters else query.parameters
    rows = list((await ctx.read(statement, parameters)).all())
    keys_of = _keys_reader(query, ctx.db.dialect)
    page = page_of(ctx, query, rows, lambda row: keys_of(row[:arity]))
    for position, (label, _) in enumerate(plan.masks, start=arity + len(plan.documents)):
        if any(row[position] for row in page.items):
            ctx.masked_fields.add(label)
    ctx.compiled_fields.append(info._raw_info.path.key)  # type: ignore[arg-type]
    log.debug("root field", field=info._raw_info.field_name, served_by="compiled")
    answer = Spliced()
    for item in selected:
        if item.name == "edges":
            answer[item.key] = _edges(item, page, arity, node_keys)
        elif item.name == "pageInfo":
            answer[item.key] = _page_info(item, page_info_of(page))
        elif item.name == "totalCount":
            answer[item.key] = await page.count()
        else:
            answer[item.key] = get_named_type(info._raw_info.return_type).name
    return answer


# The statement of a kept node plan over a kept page query (resolvers/kept_pages.py): as
# many as there are kept plans.
_statements: KeptPer[sa.Select[Any]] = KeptPer(CAPACITY)


def _statement(plan: NodePlan, query: KeysetQuery) -> sa.Select[Any]:
    """The page's keys, each node's JSON and the masked-field flags, in the page's order."""
    kept = _statements.get((plan, query.page))
    if kept is not None:
        return kept
    entity = query.page.column_descriptions[0]["entity"]
    table = entity.__table__
    (primary,) = sa.inspect(entity).primary_key
    # Only the page's keys go through the subquery: a derived table of every column costs
    # SQLAlchemy a column collection.
    page_keys = query.page.with_only_columns(primary).subquery()
    direction = sa.desc if query.descending else sa.asc
    statement = (
        sa.select(
            # As the driver gives them: a page's keys are read for its cursors only.
            *(_as_driver_gives(key) for key in query.keys),
            *(document for _, document in plan.documents),
            *(masked for _, masked in plan.masks),
        )
        .select_from(table)
        .join(page_keys, primary == page_keys.c[primary.name])
        .order_by(*(direction(key) for key in query.keys))
    )
    return _statements.keep((plan, query.page), (), statement)


def _as_driver_gives(key: sa.SQLColumnExpression[Any]) -> sa.ColumnElement[Any]:
    return sa.type_coerce(key, sa.types.NullType())


def _keys_reader(query: KeysetQuery, dialect: Dialect) -> Callable[[Any], tuple[Any, ...]]:
    """Makes a row's keys what a resolver's row holds (a timestamp in UTC, say), when a
    cursor asks for them: processing a hundred rows' keys that no cursor reads was ~8% of a
    compiled page's CPU."""
    processors = [
        cast(sa.ColumnElement[Any], key).type._cached_result_processor(dialect, None)
        for key in query.keys
    ]
    return lambda values: tuple(
        value if process is None else process(value)
        for process, value in zip(processors, values, strict=True)
    )


def _edges(
    item: Selected,
    page: Page[Any],
    arity: int,
    node_keys: dict[str, int],
) -> list[dict[str, Any]] | orjson.Fragment:
    """The edges of PAGE as ITEM selects them: each part's reader is chosen once, not per
    row (a page is a hundred edges)."""
    if len(item.children) == 1 and item.children[0].name == "node":
        # The common edge, `edges { node { ... } }`: the list's JSON joined as text, one
        # fragment rather than a dict and a fragment per row.
        key, column = item.children[0].key, arity + node_keys[item.children[0].key]
        opening = "{" + orjson.dumps(key).decode() + ":"
        return orjson.Fragment(
            "[" + ",".join([opening + row[column] + "}" for row in page.items]) + "]"
        )
    parts = [(part.key, _edge_part(item, part, page, arity, node_keys)) for part in item.children]
    return [
        {key: read(position, row) for key, read in parts} for position, row in enumerate(page.items)
    ]


def _edge_part(
    item: Selected, part: Selected, page: Page[Any], arity: int, node_keys: dict[str, int]
) -> Callable[[int, Any], Any]:
    """How one selected part of an edge reads its value from (position, row)."""
    if part.name == "cursor":
        return lambda position, _: page.cursor_at(position)
    if part.name == "node":
        column = arity + node_keys[part.key]
        return lambda _, row: orjson.Fragment(row[column])
    typename = item.type.name if item.type else None
    return lambda _, __: typename


def _page_info(item: Selected, info: PageInfo) -> dict[str, Any]:
    values = {
        "hasNextPage": info.has_next_page,
        "hasPreviousPage": info.has_previous_page,
        "startCursor": info.start_cursor,
        "endCursor": info.end_cursor,
        "__typename": "PageInfo",
    }
    return {part.key: values[part.name] for part in item.children}
