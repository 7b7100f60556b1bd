"""Benchmark: indicatorsOfSubtree over a street of 200 generated compounds (db/synthetic.py),
every compound's figures and the totals, as an administrator, over HTTP.

Prints requests/s (sequential and with concurrent clients) against a real uvicorn
process, and the SQL statements one request issues, which do not depend on the
number of compounds (tests/schema/test_indicators.py asserts it for 2 and 200).
The database is a fresh SQLite file unless JINLIN_DATABASE_URL names another.

    python bench/subtree_indicators.py [--requests 60] [--concurrency 4]
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Benchmark, main
from db.engine import Database
from db.models import Organisation, OrganisationKind
from demo.synthetic import add_organisation, synthetic_compounds
from schema.ids import encode_id

COMPOUNDS = 200
ON = date(2026, 6, 30)
QUERY = """
query ($o: ID!, $on: Date) { indicatorsOfSubtree(organisation: $o, date: $on) {
  compoundCount
  governance { committeeMembers committeePartyShare crossAppointed buildingPartyGroups }
  issues { received resolved overdue medianResolveHours satisfactionAverage }
  lovePoints { earned redeemed } coBuilding { committed completed }
  compounds { compound { name } date
    governance { committeePartyShare belowPartyShareTarget crossAppointmentRatio
      buildingPartyGroups partyHouseholdHeads }
    issues { received resolved overdue medianResolveHours satisfactionAverage }
    firm { overallStars standing } lovePoints { earned redeemed }
    coBuilding { committed completed } } } }
"""
_street: dict[str, int] = {}


async def add_compounds(db: Database) -> None:
    async with db.write() as session:

        async def first(kind: OrganisationKind) -> Organisation:
            found = await session.execute(
                sa.select(Organisation).where(col(Organisation.kind) == kind).limit(1)
            )
            return found.scalar_one()

        district = await first(OrganisationKind.DISTRICT)
        partner = await first(OrganisationKind.PARTNER_UNIT)
        street = await add_organisation(session, "合成街道", OrganisationKind.STREET, district)
        await synthetic_compounds(session, street, COMPOUNDS, ON, partner)
        _street["id"] = street.id or 0


def every_compound(data: Any) -> None:
    found = data["indicatorsOfSubtree"]
    assert found["compoundCount"] == COMPOUNDS
    assert found["issues"]["received"] == 7 * COMPOUNDS


BENCHMARK = Benchmark(
    name="subtree_indicators",
    query=QUERY,
    rows=f"{COMPOUNDS} compounds' indicators and their totals",
    setup=add_compounds,
    variables=lambda ids: {"o": str(encode_id("Organisation", _street["id"])), "on": str(ON)},
    check=every_compound,
    role="admin",
)

if __name__ == "__main__":
    main(BENCHMARK, __doc__)
