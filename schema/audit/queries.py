"""Queries on the audit log."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.audit import queries as audit
from resolvers.audit.vocabulary import check_filter
from schema.audit.inputs import AuditLogFilter
from schema.audit.types import AuditEntryType
from schema.audit.vocabulary import operations
from schema.common.connection import AFTER, FIRST, Connection, to_connection
from schema.context import Info


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="The audit log, newest first: every mutation attempt with its actor, the "
        "grant that allowed it, its changes and its place in the hash chain. Supervisors read "
        "their subtree, the secretary the compound, everyone the entries they made or that are "
        "about their person record (permission audit:read)."
    )
    async def audit_log(
        self,
        info: Info,
        filter: Annotated[
            AuditLogFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AuditEntryType]:
        domain_filter = filter.to_domain() if filter else audit.AuditFilter()
        await check_filter(info.context, domain_filter, operations(info.schema))
        page = await audit.list_entries(info.context, domain_filter, first, after)
        return to_connection(page, AuditEntryType.from_row)
