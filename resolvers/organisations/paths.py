"""An organisation's path by id, for the audit record and the row checks of any domain."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    Organisation,
)


async def path_of(session: AsyncSession, organisation_id: int | None) -> str | None:
    if organisation_id is None:
        return None
    return (
        await session.execute(
            sa.select(col(Organisation.path)).where(col(Organisation.id) == organisation_id)
        )
    ).scalar_one_or_none()


async def path_and_compound(
    session: AsyncSession, organisation_id: int
) -> tuple[str | None, int | None]:
    """An organisation's path and the compound it lies in, in one read (None, None: none)."""
    found = (
        await session.execute(
            sa.select(col(Organisation.path), col(Organisation.compound_id)).where(
                col(Organisation.id) == organisation_id
            )
        )
    ).one_or_none()
    return (None, None) if found is None else (found.path, found.compound_id)
