"""The words the audit log's filters take: an unknown one is refused, never an empty page.

An operation is a mutation's name (the schema hands them in) or any other name the log
already holds (the demo's seeding, the command line); a resource type is a row kind the
log records (policies/resources.py) or, likewise, one it holds. Only a value outside the
known set costs a query: an indexed EXISTS.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import AuditEntry
from policies.resources import ROW_KINDS
from resolvers.audit.queries import AuditFilter
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr

RESOURCE_TYPES = frozenset(name for name, kind in ROW_KINDS.items() if kind.audited)


async def _logged(ctx: RequestContext, column: sa.SQLColumnExpression[Any], value: str) -> bool:
    found = await ctx.read(sa.select(sa.literal(1)).where(column == value).limit(1))
    return found.first() is not None


async def check_filter(
    ctx: RequestContext, filter: AuditFilter, operations: Collection[str]
) -> None:
    """Refuse FILTER's operation or resource type when the log knows no such word."""
    operation = filter.operation
    if (
        operation is not None
        and operation not in operations
        and not await _logged(ctx, col(AuditEntry.operation), operation)
    ):
        raise BadUserInput(
            tr(
                "Unknown operation '{operation}' (names are case-sensitive). Operations: {known}.",
                operation=operation,
                known=", ".join(sorted(operations)),
            )
        )
    kind = filter.resource_type
    if (
        kind is not None
        and kind not in RESOURCE_TYPES
        and not await _logged(ctx, col(AuditEntry.resource_type), kind)
    ):
        raise BadUserInput(
            tr(
                "Unknown resource type '{kind}'. Resource types: {known} (or a GraphQL type name, "
                "e.g. Issue).",
                kind=kind,
                known=", ".join(sorted(RESOURCE_TYPES)),
            )
        )
