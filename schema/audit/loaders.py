"""Per-request DataLoaders of audit entries."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from db.models import AuditEntry
from resolvers.audit import queries as audit
from resolvers.context import RequestContext
from schema.common.dataloaders import by_id, cached


def audit_entry(ctx: RequestContext) -> DataLoader[int, AuditEntry | None]:
    return cached(ctx, "audit", lambda: DataLoader(by_id(ctx, audit.by_seqs)))
