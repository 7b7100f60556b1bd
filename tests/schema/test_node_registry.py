"""Every node type of the schema is registered by its domain against a row kind of
policies/resources.py, and every row kind has its node: node(id), the audit log's
`resource` and the isolation matrix all find a type through this registry."""

from __future__ import annotations

from graphql import GraphQLObjectType

from policies.resources import RESOURCES, ROW_KINDS
from schema.common.nodes import (
    NODE_TYPES,
    NODES_BY_KIND,
    audited_resource_type,
    resource_type_name,
)
from schema.schema import schema


def test_every_node_type_of_the_schema_is_registered() -> None:
    in_schema = {
        name
        for name, type_ in schema._schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and any(i.name == "Node" for i in type_.interfaces)
    }
    assert sorted(in_schema - NODE_TYPES.keys()) == []
    assert sorted(NODE_TYPES.keys() - in_schema) == []


def test_every_row_kind_has_its_node() -> None:
    assert sorted(ROW_KINDS.keys() - NODES_BY_KIND.keys()) == []


def test_a_resource_lists_its_own_table_first() -> None:
    for entry in RESOURCES.values():
        if entry.rows:
            assert entry.rows[0].table is entry.table, entry.name


def test_audit_resource_types_name_their_node_types() -> None:
    audited = {kind: resource_type_name(kind) for kind in ROW_KINDS}
    assert audited["issue"] == "Issue"
    assert audited["ledger_entry"] == "LedgerEntry"
    assert audited["station_duty"] == "StationDuty"
    # Rows no mutation audits as their own resource are not the audit log's resource types.
    assert audited["issue_event"] is None
    assert audited["audit_entry"] is None
    assert resource_type_name("nonsense") is None
    assert audited_resource_type("JointMeeting") == "meeting"
    assert audited_resource_type("EvaluationCriterion") is None
    assert audited_resource_type("Nonsense") is None
