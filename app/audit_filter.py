"""The audit export's filter from words (URL parameters, command-line options).

It is the `auditLog` filter itself (schema.audit.inputs.AuditLogFilter): the same global
ids, the same checks, the same domain filter, so an export reads exactly the entries the
log would list. Unknown operations and resource types are refused like there.
"""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from db.models import AuditOutcome
from resolvers.audit.queries import AuditFilter
from resolvers.audit.vocabulary import check_filter
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from schema.audit.inputs import AuditLogFilter
from schema.audit.vocabulary import operations
from schema.ids import encode_id
from schema.schema import schema

PARAMETERS = (
    "subtree",
    "organisation",
    "actor",
    "token",
    "partner",
    "operation",
    "resourceType",
    "resource",
    "outcome",
    "from",
    "to",
)


def moment(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 time; one without a zone is UTC."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadUserInput(tr("'{name}' must be an ISO 8601 time.", name=name)) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _outcome(value: str | None) -> AuditOutcome | None:
    if value is None:
        return None
    try:
        return AuditOutcome(value.upper())
    except ValueError as exc:
        known = ", ".join(o.value for o in AuditOutcome)
        raise BadUserInput(
            tr("Unknown outcome '{value}'. Outcomes: {known}.", value=value, known=known)
        ) from exc


def _organisation_id(value: str | None) -> strawberry.ID | None:
    """A global id, or (as the command line always took) an organisation's database id."""
    if value is not None and value.isdigit():
        return encode_id("Organisation", int(value))
    return None if value is None else strawberry.ID(value)


def _id(value: str | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(value)


def audit_filter(words: dict[str, str | None]) -> AuditFilter:
    """WORDS (keys from PARAMETERS, absent or None: no condition) as the log's filter."""
    unknown = set(words) - set(PARAMETERS)
    if unknown:
        raise BadUserInput(
            tr(
                "Unknown filter {unknown}; filters: {known}.",
                unknown=", ".join(sorted(unknown)),
                known=", ".join(PARAMETERS),
            )
        )
    get = words.get
    return AuditLogFilter(
        subtree=_organisation_id(get("subtree")),
        organisation=_organisation_id(get("organisation")),
        actor=_id(get("actor")),
        token=_id(get("token")),
        partner=_id(get("partner")),
        operation=get("operation"),
        resource_type=get("resourceType"),
        resource=_id(get("resource")),
        outcome=_outcome(get("outcome")),
        occurred_from=moment(get("from"), "from"),
        occurred_to=moment(get("to"), "to"),
    ).to_domain()


async def checked(ctx: RequestContext, filter: AuditFilter) -> AuditFilter:
    """FILTER once its operation and resource type are known words (as `auditLog` checks)."""
    await check_filter(ctx, filter, operations(schema))
    return filter
