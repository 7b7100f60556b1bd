"""A person by id as the caller may see them, through the request's DataLoader."""

from __future__ import annotations

from schema.context import Info
from schema.people import loaders
from schema.people.types import PersonType


async def visible_person(info: Info, person_id: int | None) -> PersonType | None:
    """PERSON_ID's record, or None when there is none or the caller may not see it."""
    if person_id is None:
        return None
    row = await loaders.person(info.context).load(person_id)
    return PersonType.from_row(row) if row else None
