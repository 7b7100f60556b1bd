"""Benchmark: a list of 100 positions with nested person and organisation, over HTTP.

Prints requests/s (sequential and with concurrent clients) against a real uvicorn
process, and the SQL statements one such request issues. The database is a fresh
SQLite file unless JINLIN_DATABASE_URL names another (its public schema is reset).

    python bench/positions_list.py [--requests 300] [--concurrency 4]
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Benchmark, main
from db.engine import Database
from db.models import Organisation, OrganisationKind, Person, Position, PositionTitle

QUERY = """
query ($c: ID!) {
  positions(first: 100, filter: {subtree: $c}) {
    edges { node { id title startDate active
      person { id name phone }
      organisation { id name kind parent { id name } } } }
  }
}
"""


async def add_positions(db: Database, count: int = 200) -> None:
    """COUNT more residents of 繼光花苑, each a party household head in one of its groups."""
    async with db.write() as session:
        compound = (
            await session.execute(sa.select(Organisation).where(Organisation.name == "繼光花苑"))
        ).scalar_one()
        group = (
            (
                await session.execute(
                    sa.select(Organisation).where(
                        Organisation.compound_id == compound.id,
                        Organisation.kind == OrganisationKind.PARTY_GROUP,
                    )
                )
            )
            .scalars()
            .first()
        )
        assert group is not None
        people = [
            Person(name=f"樓長{n:04d}", residence_compound_id=compound.id) for n in range(count)
        ]
        session.add_all(people)
        await session.flush()
        session.add_all(
            Position(
                person_id=p.id or 0,
                organisation_id=group.id or 0,
                title=PositionTitle.PARTY_HOUSEHOLD_HEAD,
                start_date=date(2025, 1, 1),
            )
            for p in people
        )


def full_page(data: Any) -> None:
    assert len(data["positions"]["edges"]) == 100


BENCHMARK = Benchmark(
    name="positions_list",
    query=QUERY,
    rows="100 rows, person + organisation + organisation.parent per row",
    setup=add_positions,
    variables=lambda ids: {"c": ids["compound_a"]},
    check=full_page,
)

if __name__ == "__main__":
    main(BENCHMARK, __doc__)
