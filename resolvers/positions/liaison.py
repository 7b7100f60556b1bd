"""Where a party-building liaison (黨建指導員) lies for authorization: its firm's compounds.

The branch appoints its liaison to the firm serving its compound; the firm sits above the
compounds (under the district), so a secretary's compound grant does not reach it. The
`served` condition (policies/conditions.py) reads these paths instead.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import LinkKind, Organisation, OrganisationLink
from policies.grants import link_active_on


async def served_compound_paths(session: AsyncSession, firm_id: int, day: date) -> tuple[str, ...]:
    """Paths of the compounds FIRM_ID serves under a SERVES link in force on DAY."""
    statement = (
        sa.select(col(Organisation.path))
        .join(OrganisationLink, col(OrganisationLink.target_id) == Organisation.id)
        .where(
            col(OrganisationLink.source_id) == firm_id,
            col(OrganisationLink.kind) == LinkKind.SERVES,
            link_active_on(day),
        )
        .order_by(col(Organisation.path))
    )
    return tuple((await session.execute(statement)).scalars().all())
