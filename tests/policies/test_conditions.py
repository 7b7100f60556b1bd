"""Named conditions whose row check and SQL form must agree: here `below` (strictly under the
grant's organisation), which lets a street's officer grant funds to a compound's branch but
never a grant held at the compound itself."""

from __future__ import annotations

import sqlalchemy as sa

from db import clock
from db.models import FundEntry, Organisation
from policies.actor import Actor
from policies.authorizer import Authorizer
from policies.conditions import RowFacts
from policies.grants import Grant
from tests.helpers import Api


async def _paths(api: Api) -> tuple[str, str]:
    """(compound A's path, the street's path above it)."""
    compound = str(
        await api.scalar(sa.select(Organisation.path).where(Organisation.id == api.compound("a")))
    )
    street = str(
        await api.scalar(sa.select(Organisation.path).where(Organisation.kind == "STREET"))
    )
    assert compound.startswith(street) and compound != street
    return compound, street


def _authorizer(domain: str) -> Authorizer:
    actor = Actor(
        person_id=1, token_id=None, grants=(Grant("supervisor", domain, "test"),), member_of=()
    )
    return Authorizer(actor, clock.today())


async def test_below_allows_a_grant_held_above_the_compound_only(api: Api) -> None:
    compound, street = await _paths(api)
    facts = RowFacts(paths=(compound,))
    assert _authorizer(street).decide("fund", "grant").grant_for(facts) is not None
    assert _authorizer(compound).decide("fund", "grant").grant_for(facts) is None


async def test_below_in_sql_selects_the_same_rows(api: Api) -> None:
    compound, street = await _paths(api)

    async def compounds(domain: str) -> set[int]:
        where = _authorizer(domain).decide("fund", "grant").where()
        async with api.db.read_sessions() as session:
            rows = await session.execute(sa.select(FundEntry.compound_id).where(where))
            return set(rows.scalars().all())

    assert await compounds(street) == {api.compound("a"), api.compound("b")}
    assert await compounds(compound) == set()
