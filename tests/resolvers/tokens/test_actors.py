"""A kept actor is used only while the database would derive exactly it.

Every change the grants statement or a partner token's narrowing reads from moves the
access epoch on; the next request of any process then derives the actor again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.sql.util import find_tables
from sqlmodel import col

from db import clock
from db.models import (
    AccessEpoch,
    ApiTokenOrganisation,
    Organisation,
    OrganisationKind,
    Person,
    Position,
)
from policies.actor import Actor
from policies.grants import GRANTS_STATEMENT
from resolvers.errors import Unauthenticated
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate
from tests.helpers import Api, StatementCounter, gid
from tests.partner_setup import REVOKE, issue

ROLES = "query { me { roles { role } } }"
END = "mutation ($input: EndPositionInput!) { endPosition(input: $input) { id } }"
MY_POSITIONS = "query { me { person { positions { edges { node { id } } } } } }"


async def _actor(api: Api, who: str, actors: ActorCache, days: int = 0) -> Actor:
    async with api.db.read_sessions() as session:
        return await authenticate(
            session,
            api.tokens.get(who, who),
            key=api.secret_key,
            today=clock.today() + timedelta(days=days),
            actors=actors,
        )


def _roles(actor: Actor) -> set[str]:
    return {grant.role for grant in actor.grants}


async def _epoch(api: Api) -> int:
    return int(await api.scalar(sa.select(col(AccessEpoch.value))))


async def test_a_kept_actor_saves_the_grants_statement(
    api: Api, statements: StatementCounter
) -> None:
    actors = ActorCache()
    first = await _actor(api, "committee_member", actors)
    statements.reset()
    again = await _actor(api, "committee_member", actors)
    assert again.grants == first.grants and again.member_of == first.member_of
    assert statements.count == 1, statements.sql  # the token and the epoch, together
    assert len(actors) == 1


async def test_an_ended_position_is_gone_on_the_next_request(api: Api) -> None:
    actors = ActorCache()
    assert "committee_member" in _roles(await _actor(api, "committee_member", actors))
    mine = (await api.run(MY_POSITIONS, as_="committee_member")).ok()
    for edge in mine["me"]["person"]["positions"]["edges"]:
        (await api.run(END, {"input": {"id": edge["node"]["id"]}}, as_="secretary")).ok()
    assert "committee_member" not in _roles(await _actor(api, "committee_member", actors))


async def test_a_new_appointment_counts_on_the_next_request(api: Api) -> None:
    actors = ActorCache()
    before = await _actor(api, "resident", actors)
    assert "committee_member" not in _roles(before)
    committee = await api.scalar(
        sa.select(col(Organisation.id)).where(
            col(Organisation.compound_id) == api.compound("a"),
            col(Organisation.kind) == OrganisationKind.OWNERS_COMMITTEE,
        )
    )
    appoint = (
        """mutation ($input: AppointPositionInput!) { appointPosition(input: $input) { id } }"""
    )
    input = {
        "person": gid("Person", int(before.person_id or 0)),
        "organisation": gid("Organisation", int(committee)),
        "title": "COMMITTEE_MEMBER",
    }
    (await api.run(appoint, {"input": input}, as_="secretary")).ok()
    assert "committee_member" in _roles(await _actor(api, "resident", actors))


async def test_a_revoked_token_is_refused_though_its_actor_was_kept(api: Api) -> None:
    actors = ActorCache()
    token = await issue(api, scopes=["ISSUES_READ"])
    await _actor(api, token["secret"], actors)
    (await api.run(REVOKE, {"id": token["token"]["id"]}, as_="secretary")).ok()
    with pytest.raises(Unauthenticated, match="revoked"):
        await _actor(api, token["secret"], actors)


async def test_a_partner_token_narrowed_again_when_its_organisations_change(api: Api) -> None:
    actors = ActorCache()
    token = await issue(api, scopes=["ISSUES_READ"])
    assert (await _actor(api, token["secret"], actors)).grants
    async with api.db.write() as session:
        await session.execute(sa.delete(ApiTokenOrganisation))
    narrowed = await _actor(api, token["secret"], actors)
    assert all(grant.role == "self" for grant in narrowed.grants), narrowed.grants


async def test_a_new_day_derives_again(api: Api, statements: StatementCounter) -> None:
    actors = ActorCache()
    await _actor(api, "secretary", actors)
    statements.reset()
    await _actor(api, "secretary", actors, days=1)
    assert statements.count == 2, statements.sql  # the token, then the grants for that day


async def test_a_moved_residence_is_seen_on_the_next_request(api: Api) -> None:
    actors = ActorCache()
    resident = await _actor(api, "resident", actors)
    assert "resident" in _roles(resident)
    async with api.db.write() as session:
        await session.execute(
            sa.update(Person)
            .where(col(Person.id) == resident.person_id)
            .values(residence_compound_id=None)
        )
    assert "resident" not in _roles(await _actor(api, "resident", actors))


# Each table the grants derive from, and a change to it that must move the epoch on.
CHANGES = {
    "position": sa.update(Position).values(end_date=col(Position.end_date)),
    "organisation": sa.update(Organisation).values(path=col(Organisation.path)),
    "person": sa.update(Person).values(is_admin=col(Person.is_admin)),
    "organisation_link": sa.text("UPDATE organisation_link SET end_date = end_date"),
    "api_token_organisation": sa.delete(ApiTokenOrganisation),
}


def _tables_read_by_derivation() -> set[str]:
    from resolvers.tokens import bearer

    statements = [*GRANTS_STATEMENT.selects, bearer.partner_statement(0, 0)]
    names = set()
    for statement in statements:
        for table in find_tables(statement, include_aliases=True, include_joins=True):
            original = getattr(table, "original", table)
            if isinstance(original, sa.Table):
                names.add(original.name)
    return names


def test_every_table_the_actor_derives_from_is_watched() -> None:
    assert _tables_read_by_derivation() == set(CHANGES)


@pytest.mark.parametrize("table", sorted(CHANGES))
async def test_a_change_moves_the_epoch_on(api: Api, table: str) -> None:
    before = await _epoch(api)
    async with api.db.write() as session:
        await session.execute(CHANGES[table])
    assert await _epoch(api) > before
