"""An organisation by id as the caller may see it, through the request's DataLoader."""

from __future__ import annotations

from schema.context import Info
from schema.organisations import loaders
from schema.organisations.types import OrganisationType


async def visible_organisation(info: Info, organisation_id: int | None) -> OrganisationType | None:
    """ORGANISATION_ID's record, or None when there is none or the caller may not see it."""
    if organisation_id is None:
        return None
    row = await loaders.organisation(info.context).load(organisation_id)
    return OrganisationType.from_row(row) if row else None
