"""The Organisation fields compiled reads build in SQL (schema/compiled)."""

from __future__ import annotations

from sqlmodel import col

from db.models import Organisation, OrganisationKind
from schema.compiled.objects import ObjectSpec, enum, global_id, plain, timestamp

ORGANISATION = ObjectSpec(
    "Organisation",
    {
        "id": global_id("Organisation", col(Organisation.id)),
        "name": plain(col(Organisation.name)),
        "kind": enum(col(Organisation.kind), OrganisationKind),
        "depth": plain(col(Organisation.depth)),
        "version": plain(col(Organisation.version)),
        "createdAt": timestamp(col(Organisation.created_at)),
        "updatedAt": timestamp(col(Organisation.updated_at)),
    },
)
