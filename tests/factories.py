"""Factories for test data, written straight to the test's transaction."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from db.engine import Database
from db.models import Organisation, OrganisationKind, Person, Position, PositionTitle


async def household_heads(db: Database, compound_id: int, count: int) -> list[int]:
    """COUNT new residents of the compound, each a party household head in a party group."""
    async with db.write() as session:
        group = (
            (
                await session.execute(
                    sa.select(Organisation).where(
                        Organisation.compound_id == compound_id,
                        Organisation.kind == OrganisationKind.PARTY_GROUP,
                    )
                )
            )
            .scalars()
            .first()
        )
        assert group is not None
        people = [
            Person(name=f"樓長{n:03d}", residence_compound_id=compound_id) for n in range(count)
        ]
        session.add_all(people)
        await session.flush()
        positions = [
            Position(
                person_id=p.id or 0,
                organisation_id=group.id or 0,
                title=PositionTitle.PARTY_HOUSEHOLD_HEAD,
                start_date=date(2025, 1, 1),
            )
            for p in people
        ]
        session.add_all(positions)
        await session.flush()
        return [p.id or 0 for p in positions]
