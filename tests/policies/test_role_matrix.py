"""The minimum role matrix of the foundation, through the real schema with real tokens."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from db.models import Organisation, Person
from tests.helpers import Api, gid

ROLES = [
    "admin",
    "supervisor",
    "grid_worker",
    "secretary",
    "committee_member",
    "property_firm",
    "resident",
    "resident_b",
]
# Who may read each compound at all.
READS_COMPOUND = {
    "a": {
        "admin",
        "supervisor",
        "grid_worker",
        "secretary",
        "committee_member",
        "property_firm",
        "resident",
    },
    "b": {"admin", "supervisor", "resident_b"},
}
# How much of compound A's people directory each role sees (count of 30 residents).
DIRECTORY_A = {
    "admin": 30,
    "supervisor": 30,
    "grid_worker": 30,
    "secretary": 30,
    "committee_member": 30,
    "property_firm": 30,
    "resident": None,
    "resident_b": 0,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("compound", ["a", "b"])
async def test_who_reads_which_compound(api: Api, role: str, compound: str) -> None:
    result = await api.run(
        "query ($id: ID!) { organisation(id: $id) { id name } }",
        {"id": api.ids[f"compound_{compound}"]},
        as_=role,
    )
    visible = result.ok()["organisation"] is not None
    assert visible == (role in READS_COMPOUND[compound])


@pytest.mark.parametrize("role", ROLES)
async def test_directory_of_compound_a(api: Api, role: str) -> None:
    result = await api.run(
        "query ($c: ID!) { people(filter: {compound: $c}, first: 100) { totalCount } }",
        {"c": api.ids["compound_a"]},
        as_=role,
    )
    count = result.ok()["people"]["totalCount"]
    expected = DIRECTORY_A[role]
    if expected is None:  # a resident: themself and the compound's office holders
        assert 1 < count < 30
    else:
        assert count == expected


@pytest.mark.parametrize(
    ("role", "field", "shown"),
    [
        ("secretary", "idNumber", True),
        ("supervisor", "idNumber", True),
        ("committee_member", "idNumber", False),
        ("committee_member", "phone", True),
        ("property_firm", "phone", False),
        ("property_firm", "party { membership }", False),
        ("committee_member", "party { membership }", True),
    ],
)
async def test_sensitive_fields_by_role(api: Api, role: str, field: str, shown: bool) -> None:
    async with api.db.read_sessions() as session:
        other = (
            await session.execute(
                sa.select(Person.id)
                .where(Person.residence_compound_id == api.compound("a"))
                .order_by(Person.id)
                .offset(25)
                .limit(1)
            )
        ).scalar_one()
    result = await api.run(
        f"query ($id: ID!) {{ node(id: $id) {{ ... on Person {{ {field} }} }} }}",
        {"id": gid("Person", other)},
        as_=role,
    )
    value = result.ok()["node"][field.split()[0]]
    assert (value is not None) == shown
    if not shown:
        assert result.extensions["maskedFields"]["fields"]


async def test_supervisor_reads_the_subtree_but_changes_nothing(api: Api) -> None:
    positions = await api.run("query { positions(first: 100) { totalCount } }", as_="supervisor")
    assert positions.ok()["positions"]["totalCount"] >= 20
    building = await api.run(
        "mutation ($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }",
        {"i": {"name": "6號樓", "kind": "BUILDING", "parent": api.ids["compound_a"]}},
        as_="supervisor",
    )
    assert building.codes == ["FORBIDDEN"]
    person = await api.run(
        "mutation ($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }",
        {"i": {"name": "某人", "compound": api.ids["compound_b"]}},
        as_="supervisor",
    )
    assert person.codes == ["FORBIDDEN"]


async def test_only_admin_creates_top_level_organisations(api: Api) -> None:
    for role in ("secretary", "supervisor"):
        result = await api.run(
            'mutation { createOrganisation(input: {name: "福州市", kind: CITY}) { id } }', as_=role
        )
        assert result.codes == ["FORBIDDEN"]
    created = await api.run(
        'mutation { createOrganisation(input: {name: "福州市", kind: CITY}) { id depth } }',
        as_="admin",
    )
    assert created.ok()["createOrganisation"]["depth"] == 0
    assert (
        await api.scalar(
            sa.select(sa.func.count()).select_from(Organisation).where(Organisation.kind == "CITY")
        )
        == 2
    )


async def test_property_firm_reads_its_firm_and_served_compound_only(api: Api) -> None:
    result = await api.run(
        "query { organisations(first: 100, filter: {kinds: [PROPERTY_FIRM, COMPOUND]}) { edges { node { name kind } } } }",
        as_="property_firm",
    )
    names = {(e["node"]["kind"], e["node"]["name"]) for e in result.ok()["organisations"]["edges"]}
    assert names == {("PROPERTY_FIRM", "安居物業服務有限公司"), ("COMPOUND", "繼光花苑")}


async def test_resident_sees_the_firm_serving_them(api: Api) -> None:
    result = await api.run(
        "query ($id: ID!) { organisation(id: $id) { links(kind: SERVES) { edges { node { active source { name } } } } } }",
        {"id": api.ids["compound_a"]},
        as_="resident",
    )
    links = result.ok()["organisation"]["links"]["edges"]
    assert [edge["node"]["source"]["name"] for edge in links] == ["安居物業服務有限公司"]
