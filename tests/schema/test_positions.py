"""Positions: appointing and ending, their rules, optimistic concurrency, access that follows them."""

from __future__ import annotations

import itertools
from datetime import timedelta

import sqlalchemy as sa

from db import clock
from db.models import AuditEntry, Organisation, Person, Position
from policies.grants import active_on
from tests.helpers import Api, gid

APPOINT = """
mutation ($input: AppointPositionInput!) {
  appointPosition(input: $input) { id title active version startDate endDate
    person { id name } organisation { id kind } }
}
"""
END = """
mutation ($input: EndPositionInput!) { endPosition(input: $input) { id active endDate version } }
"""


async def _org(api: Api, name_suffix: str, compound: str = "a") -> int:
    return int(
        await api.scalar(
            sa.select(Organisation.id).where(
                Organisation.compound_id == api.compound(compound),
                Organisation.name.endswith(name_suffix),  # type: ignore[attr-defined]
            )
        )
    )


async def _resident(api: Api, index: int, compound: str = "a") -> int:
    async with api.db.read_sessions() as session:
        ids = (
            (
                await session.execute(
                    sa.select(Person.id)
                    .where(Person.residence_compound_id == api.compound(compound))
                    .order_by(Person.id)
                )
            )
            .scalars()
            .all()
        )
    return int(ids[index])


async def test_secretary_appoints_a_committee_member_and_it_is_audited(api: Api) -> None:
    committee = await _org(api, "業主委員會")
    person = await _resident(api, 10)
    before = len(await api.audit_entries())
    result = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", person),
                "organisation": gid("Organisation", committee),
                "title": "COMMITTEE_MEMBER",
            }
        },
        as_="secretary",
    )
    position = result.ok()["appointPosition"]
    assert position["active"] is True
    assert position["startDate"] == clock.today().isoformat()
    assert position["person"]["id"] == gid("Person", person)
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry.operation == "appointPosition"
    assert entry.outcome == "SUCCESS"
    assert entry.role == "secretary"
    assert entry.resource_type == "position"
    assert entry.organisation_id == committee
    assert {c["field"] for c in entry.changes} >= {"person_id", "organisation_id", "title"}


async def test_title_must_fit_the_organisation_kind(api: Api) -> None:
    committee = await _org(api, "業主委員會")
    result = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 11)),
                "organisation": gid("Organisation", committee),
                "title": "SECRETARY",
            }
        },
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert (
        "SECRETARY belongs to a PARTY_BRANCH, not a OWNERS_COMMITTEE" in result.errors[0]["message"]
    )


async def test_a_single_holder_title_refuses_a_second_holder(api: Api) -> None:
    branch = await _org(api, "黨支部")
    count = await api.scalar(sa.select(sa.func.count()).select_from(Position))
    result = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 11)),
                "organisation": gid("Organisation", branch),
                "title": "SECRETARY",
            }
        },
        as_="secretary",
    )
    assert result.codes == ["CONFLICT"]
    assert "one holder at a time" in result.errors[0]["message"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(Position)) == count
    entry = (await api.audit_entries())[-1]
    assert (entry.operation, entry.outcome, entry.error_code) == (
        "appointPosition",
        "REJECTED",
        "CONFLICT",
    )


async def test_a_successor_may_start_the_day_the_predecessor_ends(api: Api) -> None:
    branch = await _org(api, "黨支部")
    current = await api.scalar(
        sa.select(Position.id).where(
            Position.organisation_id == branch, Position.title == "SECRETARY"
        )
    )
    handover = clock.today() + timedelta(days=30)
    (
        await api.run(
            END,
            {"input": {"id": gid("Position", current), "endDate": handover.isoformat()}},
            as_="secretary",
        )
    ).ok()
    result = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 11)),
                "organisation": gid("Organisation", branch),
                "title": "SECRETARY",
                "startDate": handover.isoformat(),
            }
        },
        as_="secretary",
    )
    assert result.ok()["appointPosition"]["active"] is False  # starts in the future
    early = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 12)),
                "organisation": gid("Organisation", branch),
                "title": "SECRETARY",
                "startDate": (handover - timedelta(days=1)).isoformat(),
            }
        },
        as_="secretary",
    )
    assert early.codes == ["CONFLICT"]


async def test_end_must_not_precede_start(api: Api) -> None:
    committee = await _org(api, "業主委員會")
    result = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 13)),
                "organisation": gid("Organisation", committee),
                "title": "COMMITTEE_MEMBER",
                "startDate": "2025-05-01",
                "endDate": "2025-04-30",
            }
        },
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "end date must not be before the start date" in result.errors[0]["message"]


async def test_stale_version_is_a_conflict_and_changes_nothing(api: Api) -> None:
    committee = await _org(api, "業主委員會")
    created = (
        await api.run(
            APPOINT,
            {
                "input": {
                    "person": gid("Person", await _resident(api, 14)),
                    "organisation": gid("Organisation", committee),
                    "title": "COMMITTEE_MEMBER",
                }
            },
            as_="secretary",
        )
    ).ok()["appointPosition"]
    assert created["version"] == 1
    later = (clock.today() + timedelta(days=10)).isoformat()
    first = await api.run(
        END,
        {"input": {"id": created["id"], "endDate": later, "expectedVersion": 1}},
        as_="secretary",
    )
    assert first.ok()["endPosition"]["version"] == 2
    second = await api.run(
        END,
        {
            "input": {
                "id": created["id"],
                "endDate": clock.today().isoformat(),
                "expectedVersion": 1,
            }
        },
        as_="secretary",
    )
    assert second.codes == ["CONFLICT"]
    assert second.errors[0]["extensions"]["currentVersion"] == 2
    assert second.errors[0]["extensions"]["current_version"] == 2  # deprecated name
    position = await api.scalar(
        sa.select(Position).where(
            Position.id == int(await api.scalar(sa.select(sa.func.max(Position.id))))
        )
    )
    assert position.end_date.isoformat() == later


async def test_ending_a_position_ends_the_access_it_granted(api: Api) -> None:
    me = "query { me { roles { role } } }"
    roles = {r["role"] for r in (await api.run(me, as_="committee_member")).ok()["me"]["roles"]}
    assert "committee_member" in roles
    mine = (
        await api.run(
            "query { me { person { positions(activeOn: null) { edges { node { id organisation { kind } } } } } } }",
            as_="committee_member",
        )
    ).ok()["me"]["person"]["positions"]["edges"]
    for edge in mine:
        (await api.run(END, {"input": {"id": edge["node"]["id"]}}, as_="secretary")).ok()
    roles = {r["role"] for r in (await api.run(me, as_="committee_member")).ok()["me"]["roles"]}
    assert "committee_member" not in roles
    people = "query { people(first: 100) { totalCount } }"
    visible = (await api.run(people, as_="committee_member")).ok()["people"]["totalCount"]
    # Now only a resident: their own record and the compound's position holders.
    holders = await api.scalar(
        sa.select(sa.func.count(sa.distinct(Position.person_id)))
        .join(Organisation, Organisation.id == Position.organisation_id)
        .where(
            Organisation.compound_id == api.compound("a"),
            active_on(clock.today()),
        )
    )
    assert visible == holders + 1


async def test_resident_cannot_appoint_and_the_attempt_is_audited(api: Api) -> None:
    committee = await _org(api, "業主委員會")
    count = await api.scalar(sa.select(sa.func.count()).select_from(Position))
    result = await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 1)),
                "organisation": gid("Organisation", committee),
                "title": "COMMITTEE_CHAIR",
            }
        },
        as_="resident",
    )
    assert result.codes == ["FORBIDDEN"]
    assert await api.scalar(sa.select(sa.func.count()).select_from(Position)) == count
    entry = (await api.audit_entries())[-1]
    assert (entry.operation, entry.outcome, entry.error_code) == (
        "appointPosition",
        "DENIED",
        "FORBIDDEN",
    )
    assert entry.changes == []
    assert entry.actor_person_id is not None


async def test_audit_entry_chains_to_the_previous_one(api: Api) -> None:
    committee = await _org(api, "業主委員會")
    await api.run(
        APPOINT,
        {
            "input": {
                "person": gid("Person", await _resident(api, 16)),
                "organisation": gid("Organisation", committee),
                "title": "COMMITTEE_MEMBER",
            }
        },
        as_="secretary",
    )
    entries = await api.audit_entries()
    assert all(b.prev_hash == a.hash and b.seq == a.seq + 1 for a, b in itertools.pairwise(entries))
    assert isinstance(entries[-1], AuditEntry)
