"""The `auditTrail` field, one definition shared by every type whose history is logged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection
from schema.context import Info

if TYPE_CHECKING:
    from schema.audit.types import AuditEntryType

AuditRef = Annotated["AuditEntryType", strawberry.lazy("schema.audit.types")]


def audit_trail_field(resource_type: str) -> Any:
    """A field listing the audit entries about the parent record (its `id`)."""

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[AuditRef]:
        from schema.audit.types import audit_trail

        return await audit_trail(
            info, resource_type, root.id, first, after, last=last, before=before
        )

    return strawberry.field(
        resolver=resolve,
        description="The history of this record in the audit log, newest first, as far as you "
        "may read the log (permission audit:read).",
    )
