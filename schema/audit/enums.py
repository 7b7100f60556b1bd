"""GraphQL names and descriptions of the audit enums."""

from __future__ import annotations

import strawberry

from db.models import AuditOutcome

AuditOutcomeEnum = strawberry.enum(
    AuditOutcome,
    name="AuditOutcome",
    description="SUCCESS: the change was made. DENIED: the caller lacked the permission, was not "
    "signed in, or named a record outside their scope (they are told NOT_FOUND). REJECTED: "
    "refused for its input or the record's state (bad input, a record that does not exist, a "
    "conflict). FAILED: an unexpected error; nothing was changed.",
)
