"""People: the directory, sensitive fields behind their own permissions, registering and updating."""

from __future__ import annotations

import sqlalchemy as sa

from db.models import Person
from tests.helpers import Api, gid

DIRECTORY = """
query ($f: PersonFilter) { people(filter: $f, first: 100) {
  totalCount edges { node { id name phone idNumber party { membership status } } } } }
"""
REGISTER = """
mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) {
  id name phone idNumber skills residence { unit compound { id } building { id } }
  party { membership status reportedCommunity { kind } } } }
"""
UPDATE = """
mutation ($input: UpdatePersonInput!) { updatePerson(input: $input) { id name phone version } }
"""
VALID_ID = "11010519491231002X"


async def test_committee_member_reads_the_directory_without_id_numbers(api: Api) -> None:
    result = await api.run(
        DIRECTORY, {"f": {"compound": api.ids["compound_a"]}}, as_="committee_member"
    )
    people = result.ok()["people"]
    assert people["totalCount"] == 30
    others = [e["node"] for e in people["edges"]]
    assert all(p["phone"] for p in others)
    assert all(p["party"] is not None for p in others)
    # ID numbers are shown only for their own record.
    assert sum(1 for p in others if p["idNumber"] is not None) == 1
    assert result.extensions["maskedFields"]["fields"] == ["Person.idNumber"]


async def test_secretary_sees_every_field(api: Api) -> None:
    result = await api.run(DIRECTORY, {"f": {"compound": api.ids["compound_a"]}}, as_="secretary")
    people = [e["node"] for e in result.ok()["people"]["edges"]]
    assert all(p["idNumber"] and p["phone"] and p["party"] for p in people)
    assert "maskedFields" not in result.extensions


async def test_resident_sees_themself_and_position_holders_only(api: Api) -> None:
    result = await api.run(DIRECTORY, None, as_="resident")
    people = [e["node"] for e in result.ok()["people"]["edges"]]
    me = (await api.run("query { me { person { id } } }", as_="resident")).ok()["me"]["person"][
        "id"
    ]
    own = [p for p in people if p["id"] == me]
    assert own and own[0]["phone"] and own[0]["idNumber"]
    holders = [p for p in people if p["id"] != me]
    assert holders, "the compound's office holders are public to its residents"
    assert all(p["phone"] is None and p["idNumber"] is None and p["party"] is None for p in holders)
    assert set(result.extensions["maskedFields"]["fields"]) == {
        "Person.phone",
        "Person.idNumber",
        "Person.party",
    }


async def test_property_firm_reads_names_but_nothing_sensitive(api: Api) -> None:
    result = await api.run(
        DIRECTORY, {"f": {"compound": api.ids["compound_a"]}}, as_="property_firm"
    )
    people = [e["node"] for e in result.ok()["people"]["edges"]]
    assert len(people) == 30
    assert all(p["phone"] is None and p["idNumber"] is None for p in people)
    b = await api.run(DIRECTORY, {"f": {"compound": api.ids["compound_b"]}}, as_="property_firm")
    assert b.ok()["people"]["totalCount"] == 0


async def test_secretary_registers_a_resident(api: Api) -> None:
    building = (
        await api.run(
            "query ($id: ID!) { organisation(id: $id) { children(kinds: [BUILDING], first: 1) { edges { node { id } } } } }",
            {"id": api.ids["compound_a"]},
            as_="secretary",
        )
    ).ok()["organisation"]["children"]["edges"][0]["node"]["id"]
    # A's community is above its grid (網格), not its parent.
    ancestors = (
        await api.run(
            "query ($id: ID!) { organisation(id: $id) { ancestors { id kind } } }",
            {"id": api.ids["compound_a"]},
            as_="secretary",
        )
    ).ok()["organisation"]["ancestors"]
    community = next(a["id"] for a in ancestors if a["kind"] == "COMMUNITY")
    result = await api.run(
        REGISTER,
        {
            "input": {
                "name": "新住戶 王芳",
                "phone": "13800000000",
                "idNumber": VALID_ID.lower(),
                "compound": api.ids["compound_a"],
                "building": building,
                "unit": "302",
                "skills": ["Lawyer", " lawyer ", "teacher"],
                "party": {
                    "membership": "MEMBER",
                    "status": "IN_SERVICE",
                    "reportedCommunity": community,
                },
            }
        },
        as_="secretary",
    )
    person = result.ok()["registerPerson"]
    assert person["idNumber"] == VALID_ID
    assert person["skills"] == ["lawyer", "teacher"]
    assert person["residence"] == {
        "unit": "302",
        "compound": {"id": api.ids["compound_a"]},
        "building": {"id": building},
    }
    assert person["party"]["reportedCommunity"]["kind"] == "COMMUNITY"
    entry = (await api.audit_entries())[-1]
    assert entry.operation == "registerPerson"
    assert entry.input["phone"] == "[redacted]" and entry.input["id_number"] == "[redacted]"
    assert VALID_ID not in str(entry.input) + str(entry.changes)
    assert {"field": "id_number", "before": None, "after": "[redacted]"} in entry.changes


async def test_bad_personal_data_is_refused_and_nothing_is_saved(api: Api) -> None:
    count = await api.scalar(sa.select(sa.func.count()).select_from(Person))
    cases = [
        ({"idNumber": "110105194912310021"}, "check digit"),
        ({"phone": "call me"}, "phone number"),
        ({"party": {"membership": "NONE", "status": "RETIRED"}}, "Only a party member"),
        ({"building": api.ids["compound_b"]}, "must be an organisation of kind BUILDING"),
        ({"name": "   "}, "must not be empty"),
    ]
    for extra, message in cases:
        payload = {"name": "某人", "compound": api.ids["compound_a"], **extra}
        result = await api.run(REGISTER, {"input": payload}, as_="secretary")
        assert result.codes == ["BAD_USER_INPUT"], (extra, result.errors)
        assert message in result.errors[0]["message"]
        assert "Traceback" not in result.errors[0]["message"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(Person)) == count


async def test_secretary_cannot_register_in_another_compound(api: Api) -> None:
    count = await api.scalar(sa.select(sa.func.count()).select_from(Person))
    result = await api.run(
        REGISTER, {"input": {"name": "越界", "compound": api.ids["compound_b"]}}, as_="secretary"
    )
    assert result.codes == ["FORBIDDEN"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(Person)) == count
    entry = (await api.audit_entries())[-1]
    assert (entry.operation, entry.outcome) == ("registerPerson", "DENIED")


async def test_update_changes_only_what_was_sent_and_checks_the_version(api: Api) -> None:
    me = (await api.run("query { me { person { id name phone version } } }", as_="resident")).ok()
    person = me["me"]["person"]
    result = await api.run(
        UPDATE,
        {
            "input": {
                "id": person["id"],
                "phone": "13911112222",
                "expectedVersion": person["version"],
            }
        },
        as_="secretary",
    )
    updated = result.ok()["updatePerson"]
    assert updated["name"] == person["name"]
    assert updated["phone"] == "13911112222"
    assert updated["version"] == person["version"] + 1
    stale = await api.run(
        UPDATE,
        {"input": {"id": person["id"], "name": "改名", "expectedVersion": person["version"]}},
        as_="secretary",
    )
    assert stale.codes == ["CONFLICT"]
    row = await api.scalar(
        sa.select(Person.name).where(
            Person.id
            == int(await api.scalar(sa.select(Person.id).where(Person.phone == "13911112222")))
        )
    )
    assert row == person["name"]


async def test_moving_someone_out_needs_the_right_over_the_new_compound(api: Api) -> None:
    me = (await api.run("query { me { person { id } } }", as_="resident")).ok()["me"]["person"][
        "id"
    ]
    result = await api.run(
        UPDATE,
        {"input": {"id": me, "compound": api.ids["compound_b"], "building": None}},
        as_="secretary",
    )
    assert result.codes == ["FORBIDDEN"]
    moved = await api.run(
        UPDATE,
        {"input": {"id": me, "compound": api.ids["compound_b"], "building": None}},
        as_="admin",
    )
    assert moved.ok()
    gone = await api.run("query ($id: ID!) { node(id: $id) { id } }", {"id": me}, as_="secretary")
    assert gone.ok()["node"] is None


async def test_cross_appointment_is_derived(api: Api) -> None:
    query = "query { me { person { isCrossAppointed } } }"
    assert (await api.run(query, as_="committee_member")).ok()["me"]["person"]["isCrossAppointed"]
    assert not (await api.run(query, as_="secretary")).ok()["me"]["person"]["isCrossAppointed"]
    assert gid("Person", 1)


async def test_moving_to_an_organisation_that_does_not_exist_is_bad_input(api: Api) -> None:
    me = (await api.run("query { me { person { id } } }", as_="resident")).ok()["me"]["person"]
    for field in ("compound", "building"):
        seq = len(await api.audit_entries())
        result = await api.run(
            UPDATE,
            {"input": {"id": me["id"], field: gid("Organisation", 999_999)}},
            as_="secretary",
        )
        assert result.codes == ["BAD_USER_INPUT"], result.errors
        entries = await api.audit_entries()
        assert len(entries) == seq + 1 and entries[-1].outcome == "REJECTED"
