"""Grants come from data: positions, firm contracts and residence, as of a day."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from db import clock
from db.models import Organisation, OrganisationLink, Person
from policies.grants import load_grants
from schema.ids import decode_id
from tests.helpers import Api


async def _grants(api: Api, person_id: int, day: date) -> set[tuple[str, str]]:
    async with api.db.read_sessions() as session:
        return {(g.role, g.domain) for g in await load_grants(session, person_id, day)}


async def _person(api: Api, name: str) -> int:
    return int(await api.scalar(sa.select(Person.id).where(Person.name == name)))


async def _compound_path(api: Api, key: str) -> str:
    return str(
        await api.scalar(sa.select(Organisation.path).where(Organisation.id == api.compound(key)))
    )


async def test_firm_staff_act_in_the_compounds_their_firm_serves(api: Api) -> None:
    manager = await _person(api, "安居物業經理 何平")
    grants = await _grants(api, manager, clock.today())
    compound_a = await _compound_path(api, "a")
    assert ("property_firm", compound_a) in grants
    assert ("property_firm", await _compound_path(api, "b")) not in grants


async def test_the_contract_term_bounds_the_firm_access(api: Api) -> None:
    manager = await _person(api, "安居物業經理 何平")
    compound_a = await _compound_path(api, "a")
    link_end = await api.scalar(
        sa.select(OrganisationLink.end_date).where(
            OrganisationLink.target_id == api.compound("a"), OrganisationLink.kind == "SERVES"
        )
    )
    assert ("property_firm", compound_a) in await _grants(
        api, manager, link_end - timedelta(days=1)
    )
    assert ("property_firm", compound_a) not in await _grants(api, manager, link_end)
    assert ("property_firm", compound_a) not in await _grants(api, manager, date(2023, 12, 31))


async def test_positions_grant_over_the_whole_compound(api: Api) -> None:
    me = (await api.run("query { me { person { id } } }", as_="committee_member")).ok()
    person = decode_id(me["me"]["person"]["id"], "Person")
    grants = await _grants(api, person, clock.today())
    compound_a = await _compound_path(api, "a")
    assert {("committee_member", compound_a), ("resident", compound_a), ("self", "/")} <= grants
    assert await _grants(api, person, date(2023, 1, 1)) == {("resident", compound_a), ("self", "/")}


async def test_street_officer_supervises_the_street(api: Api) -> None:
    officer = await _person(api, "街道組織委員 鄭明")
    roles = {role for role, _ in await _grants(api, officer, clock.today())}
    assert roles == {"supervisor", "self"}
