"""`node` and `nodes` answered by compiled reads, for the types whose fields compile.

A node type compiles when its loader reads rows by id within the caller's read scope of
one resource (resolvers/common.py `visible_by_ids`): the compiled statement reads the
same rows under the same scope clause, so a row the caller may not see comes back null
on both paths. Other node types, and selections a spec lacks, are left to the loaders.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import cast

import orjson
import sqlalchemy as sa
from graphql import GraphQLObjectType
from sqlmodel import SQLModel

from db.models import (
    CompoundMeeting,
    FundEntry,
    Issue,
    JointMeeting,
    Mobilisation,
    Notice,
    Organisation,
    Person,
    Position,
)
from resolvers.common import ROW_ID, ROW_IDS, by_ids_statement, one_row_statement
from resolvers.context import RequestContext
from resolvers.deliberations.places import RESOURCE as COMPOUND_MEETING_RESOURCE
from resolvers.disclosure.queries import RESOURCE as NOTICE_RESOURCE
from resolvers.funds.queries import RESOURCE as FUND_RESOURCE
from resolvers.issues.meetings import RESOURCE as MEETING_RESOURCE
from resolvers.issues.queries import RESOURCE as ISSUE_RESOURCE
from resolvers.mobilisation.queries import RESOURCE as MOBILISATION_RESOURCE
from resolvers.organisations.queries import RESOURCE as ORGANISATION_RESOURCE
from resolvers.people.queries import RESOURCE as PERSON_RESOURCE
from resolvers.positions.queries import RESOURCE as POSITION_RESOURCE
from schema.compiled.objects import ObjectSpec
from schema.compiled.single import CompiledObject, answer_object, answer_objects, object_selection
from schema.context import Info
from schema.deliberations.compiled import COMPOUND_MEETING
from schema.disclosure.compiled import NOTICE
from schema.funds.compiled import FUND_ENTRY
from schema.issues.compiled import ISSUE, JOINT_MEETING
from schema.mobilisation.compiled import MOBILISATION
from schema.organisations.compiled import ORGANISATION
from schema.people.compiled import PERSON
from schema.positions.compiled import POSITION

Scope = Callable[[RequestContext], sa.ColumnElement[bool]]


def _read_scope(resource: str) -> Scope:
    """The caller's read scope of RESOURCE, as the type's loader applies it."""
    return lambda ctx: ctx.auth.decide(resource, "read").where()


@dataclass(frozen=True)
class CompiledNodeType:
    spec: ObjectSpec
    model: type[SQLModel]
    scope: Scope


COMPILED_NODES: dict[str, CompiledNodeType] = {
    node.spec.typename: node
    for node in (
        CompiledNodeType(ISSUE, Issue, _read_scope(ISSUE_RESOURCE)),
        CompiledNodeType(PERSON, Person, _read_scope(PERSON_RESOURCE)),
        CompiledNodeType(ORGANISATION, Organisation, _read_scope(ORGANISATION_RESOURCE)),
        CompiledNodeType(POSITION, Position, _read_scope(POSITION_RESOURCE)),
        CompiledNodeType(NOTICE, Notice, _read_scope(NOTICE_RESOURCE)),
        CompiledNodeType(MOBILISATION, Mobilisation, _read_scope(MOBILISATION_RESOURCE)),
        CompiledNodeType(COMPOUND_MEETING, CompoundMeeting, _read_scope(COMPOUND_MEETING_RESOURCE)),
        CompiledNodeType(FUND_ENTRY, FundEntry, _read_scope(FUND_RESOURCE)),
        CompiledNodeType(JOINT_MEETING, JointMeeting, _read_scope(MEETING_RESOURCE)),
    )
}


def _id_column(node: CompiledNodeType) -> sa.ColumnElement[int]:
    return cast(sa.ColumnElement[int], node.model.id)  # type: ignore[attr-defined]


def _compiled(info: Info, type_name: str) -> tuple[CompiledNodeType, CompiledObject] | None:
    node = COMPILED_NODES.get(type_name)
    if node is None:
        return None
    object_type = info._raw_info.schema.get_type(type_name)
    assert isinstance(object_type, GraphQLObjectType)
    field = object_selection(info, node.spec, object_type)
    return None if field is None else (node, field)


def compiled_node(
    info: Info, type_name: str
) -> Callable[[int], Awaitable[orjson.Fragment | None]] | None:
    """How `node` reads a TYPE_NAME by id when the type and the selection compile; None
    otherwise (the loaders answer)."""
    found = _compiled(info, type_name)
    if found is None:
        return None
    node, field = found
    # The row a mutation's scoped read takes, kept once per (model, scope clause).
    rows = one_row_statement(node.model, node.scope(info.context))
    return lambda node_id: answer_object(info, field, rows, {ROW_ID: node_id})


async def compiled_nodes(
    info: Info, parsed: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], orjson.Fragment] | None:
    """Every node PARSED names, one statement per type; None unless every type asked for
    and the selection compile (then the loaders answer all of them)."""
    by_type: dict[str, list[int]] = {}
    for type_name, node_id in parsed:
        by_type.setdefault(type_name, []).append(node_id)
    compiled = {type_name: _compiled(info, type_name) for type_name in by_type}
    if any(found is None for found in compiled.values()):
        return None
    answers: dict[tuple[str, int], orjson.Fragment] = {}
    for type_name, ids in by_type.items():
        found = compiled[type_name]
        assert found is not None
        node, field = found
        # The rows the type's loader reads, by the same kept statement.
        rows = by_ids_statement(node.model, node.scope(info.context), info.context.db.dialect_name)
        read = await answer_objects(
            info, field, rows, _id_column(node), {ROW_IDS: sorted(set(ids))}
        )
        answers.update({(type_name, node_id): answer for node_id, answer in read.items()})
    return answers
