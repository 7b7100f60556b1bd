"""Scope expressions are kept between requests, yet access follows the data on every request."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db import clock
from db.models import AuditEntry, FundEntry, Issue, Notice, Person, Position, PositionTitle
from policies.actor import Actor
from policies.authorizer import Authorizer
from policies.grants import Grant
from resolvers import common
from resolvers.common import read_branches
from schema.ids import decode_id
from tests.helpers import Api

PEOPLE = "{ people(first: 1) { totalCount } }"


def _actor(person_id: int, *grants: Grant) -> Actor:
    return Actor(person_id=person_id, token_id=None, grants=grants, member_of=())


def test_the_same_grants_on_the_same_day_share_one_expression() -> None:
    secretary = Grant("secretary", "/1/4/9/", "test")
    day = date(2026, 6, 30)
    first = Authorizer(_actor(7, secretary), day).decide("issue", "read").where()
    again = Authorizer(_actor(7, secretary), day).decide("issue", "read").where()
    assert first is again
    # Anything the expression depends on makes a new one: the person, the day, the grants.
    assert Authorizer(_actor(8, secretary), day).decide("issue", "read").where() is not first
    tomorrow = day + timedelta(days=1)
    assert Authorizer(_actor(7, secretary), tomorrow).decide("issue", "read").where() is not first
    other = Grant("secretary", "/1/4/10/", "test")
    assert Authorizer(_actor(7, other), day).decide("issue", "read").where() is not first


async def test_an_ended_position_loses_its_access_on_the_next_request(api: Api) -> None:
    before = (await api.run(PEOPLE, as_="secretary")).ok()["people"]["totalCount"]
    me = (await api.run("{ me { person { id } } }", as_="secretary")).ok()
    person = decode_id(me["me"]["person"]["id"], "Person")
    async with api.db.write() as session:
        await session.execute(
            sa.update(Position)
            .where(Position.person_id == person, Position.title == PositionTitle.SECRETARY)  # type: ignore[arg-type]
            .values(end_date=clock.today())
        )
    after = (await api.run(PEOPLE, as_="secretary")).ok()["people"]["totalCount"]
    # A resident sees only the compound's office holders, no longer every resident.
    assert after < before


ROLES = ("secretary", "committee_member", "property_firm", "resident", "supervisor", "admin")


@pytest.mark.parametrize("role", [*ROLES, "partner"])
@pytest.mark.parametrize(
    ("resource", "model"),
    [
        ("issue", Issue),
        ("person", Person),
        ("audit", AuditEntry),
        ("position", Position),
        ("notice", Notice),  # residents' branch: `current`, by the compound's ids and the day
        ("fund", FundEntry),
    ],
)
@pytest.mark.parametrize("named", [True, False], ids=["ids-named", "subtree-too-wide"])
async def test_the_branches_allow_exactly_what_the_scope_allows(
    api: Api, role: str, resource: str, model: Any, named: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not named:  # as when more organisations lie under a subtree than are worth naming
        monkeypatch.setattr(common, "MAX_NAMED_ORGANISATIONS", 0)
    key = sa.inspect(model).primary_key[0]
    ctx = await api.context(role)
    try:
        scope = ctx.auth.decide(resource, "read").where()
        whole = set((await ctx.read(sa.select(key).where(scope))).scalars().all())
        branches = await read_branches(ctx, resource)
        merged: set[int] = set()
        for branch in branches:
            merged |= set((await ctx.read(sa.select(key).where(branch))).scalars().all())
    finally:
        await ctx.close()
    assert merged == whole
    # Not vacuous: every role reads some issues and people; the audit log is the office's;
    # notices are the compound's people's and the supervisors'.
    if resource == "audit":
        assert whole or role not in ("secretary", "supervisor", "admin")
    elif resource == "notice":
        assert whole or role in ("property_firm", "partner")
    elif resource == "fund":  # the branch, the committees and supervisors keep the accounts
        assert bool(whole) == (role in ("secretary", "committee_member", "supervisor", "admin"))
    else:
        assert whole
