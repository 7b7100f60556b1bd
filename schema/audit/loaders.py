"""Per-request DataLoaders of audit entries."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from db.models import AuditEntry
from resolvers.audit import queries as audit
from resolvers.context import RequestContext
from schema.common.dataloaders import by_id, cached


def audit_entry(ctx: RequestContext) -> DataLoader[int, AuditEntry | None]:
    return cached(ctx, "audit", lambda: DataLoader(by_id(ctx, audit.by_seqs)))


def names(ctx: RequestContext) -> DataLoader[tuple[str, int], str | None]:
    """Display names by (row kind, id), for the entries of one response."""

    async def load(keys: Sequence[tuple[str, int]]) -> list[str | None]:
        found = await audit.names(ctx, keys)
        return [found.get(key) for key in keys]

    return cached(ctx, "audit_names", lambda: DataLoader(load))
