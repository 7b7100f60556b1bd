"""Queries on the audit log."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from resolvers.audit import queries as audit
from resolvers.audit.vocabulary import check_filter
from schema.audit.compiled import AUDIT_ENTRY
from schema.audit.inputs import AuditLogFilter
from schema.audit.types import AuditEntryType
from schema.audit.vocabulary import operations
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
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
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[AuditEntryType]:
        domain_filter = filter.to_domain() if filter else audit.AuditFilter()
        await check_filter(info.context, domain_filter, operations(info.schema))
        compiled = connection_selection(info, AUDIT_ENTRY)
        if compiled is not None:
            query = await audit.entries_page_query(
                info.context, domain_filter, first, after, last=last, before=before
            )
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[AuditEntryType], answer)
        page = await audit.list_entries(
            info.context, domain_filter, first, after, last=last, before=before
        )
        return to_connection(page, AuditEntryType.from_row)
