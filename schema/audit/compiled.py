"""The AuditEntry fields compiled reads build in SQL (schema/compiled), and the
`auditTrail` of compiled types; the readable fields (names, changes, China time), `input`
and the related records are answered by the resolvers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import col

from db.models import AuditEntry, AuditOutcome
from resolvers.audit.queries import readable
from resolvers.context import RequestContext
from schema.compiled.nested import NestedConnection
from schema.compiled.objects import Column, ObjectSpec, enum, global_id, plain, timestamp

AUDIT_ENTRY = ObjectSpec(
    "AuditEntry",
    {
        "id": global_id("AuditEntry", col(AuditEntry.seq)),
        "sequence": plain(col(AuditEntry.seq)),
        "occurredAt": timestamp(col(AuditEntry.occurred_at)),
        "operation": plain(col(AuditEntry.operation)),
        "resourceType": plain(col(AuditEntry.resource_type)),
        "outcome": enum(col(AuditEntry.outcome), AuditOutcome),
        "errorCode": plain(col(AuditEntry.error_code)),
        "errorMessage": plain(col(AuditEntry.error_message)),
        "role": plain(col(AuditEntry.role)),
        "requestId": plain(col(AuditEntry.request_id)),
        "clientAddress": plain(col(AuditEntry.client_address)),
        "hash": plain(col(AuditEntry.hash)),
        "prevHash": plain(col(AuditEntry.prev_hash)),
        "token": global_id("ApiToken", col(AuditEntry.actor_token_id)),
    },
)

_SEQ = cast(sa.ColumnElement[int], AuditEntry.seq)


def audit_trail(resource_type: str, record_id: Column) -> NestedConnection:
    """`auditTrail` (schema/audit/trail.py) of a compiled type whose row's id is RECORD_ID:
    the entries about it the caller may read, newest first. They are scoped by the
    resolver's own condition (`readable`: audit:read's SQL, a partner token's own calls),
    the same rows the resolver's scope branches read."""

    def rows(ctx: RequestContext, given: Mapping[str, Any]) -> sa.Select[Any]:
        return readable(ctx).where(
            col(AuditEntry.resource_type) == resource_type,
            col(AuditEntry.resource_id) == sa.cast(record_id, sa.String),
        )

    return NestedConnection(lambda: AUDIT_ENTRY, rows, [_SEQ], descending=True)
