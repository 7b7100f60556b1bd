"""GraphQL names and descriptions of the co-building enums."""

from __future__ import annotations

import strawberry

from db.models import ProjectStatus

ProjectStatusEnum = strawberry.enum(
    ProjectStatus,
    name="ProjectStatus",
    description="Where a co-building project stands: COMMITTED (the partner promised it) → "
    "COMPLETED (delivered, with its outcome) or CANCELLED (with a reason). COMPLETED and "
    "CANCELLED are final; any other move fails with BAD_USER_INPUT naming the current status.",
)
