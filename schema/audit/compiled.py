"""The AuditEntry fields compiled reads build in SQL (schema/compiled); the readable ones
(names, changes, China time) and the related records are answered by the resolvers."""

from __future__ import annotations

from sqlmodel import col

from db.models import AuditEntry, AuditOutcome
from schema.compiled.objects import ObjectSpec, enum, global_id, plain, timestamp

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
