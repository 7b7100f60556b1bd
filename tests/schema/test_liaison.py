"""The branch's party-building liaison (黨建指導員) to the firm serving its compound: the
branch secretary, or a street officer above the compound, appoints and ends it; no one else,
and no other title at the firm."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from db import clock
from db.models import LinkKind, OrganisationLink, Position
from tests.helpers import Api, gid
from tests.position_helpers import (
    POSITIONS,
    appoint,
    end,
    holder_position,
    last_entry,
    org_named,
    position_count,
    resident,
)

FIRM_A = "安居物業服務有限公司"  # serves compound A
FIRM_B = "鄰安物業管理有限公司"  # serves compound B
LIAISON = "PARTY_BUILDING_LIAISON"


async def test_branch_secretary_appoints_the_liaison_to_its_firm(api: Api) -> None:
    firm = await org_named(api, FIRM_A)
    result = await appoint(api, await resident(api, 27, "a"), firm, LIAISON, "secretary")
    assert result.ok()["appointPosition"]["title"] == LIAISON
    entry = await last_entry(api)
    assert (entry.operation, entry.outcome, entry.role) == (
        "appointPosition",
        "SUCCESS",
        "secretary",
    )
    assert entry.organisation_id == firm
    assert {c["field"] for c in entry.changes} >= {"person_id", "organisation_id", "title"}


async def test_street_officer_appoints_and_ends_a_liaison(api: Api) -> None:
    firm = await org_named(api, FIRM_B)
    created = await appoint(api, await resident(api, 27, "b"), firm, LIAISON, "supervisor")
    position = created.ok()["appointPosition"]
    assert (await last_entry(api)).role == "supervisor"
    ended = await api.run(
        "mutation ($i: EndPositionInput!) { endPosition(input: $i) { active } }",
        {"i": {"id": position["id"]}},
        as_="supervisor",
    )
    assert ended.ok()["endPosition"]["active"] is False


async def test_branch_secretary_ends_the_liaison(api: Api) -> None:
    liaison = await holder_position(api, await org_named(api, FIRM_A), LIAISON)
    result = await end(api, liaison, "secretary")
    assert result.ok()["endPosition"]["active"] is False
    entry = await last_entry(api)
    assert (entry.operation, entry.outcome, entry.role) == ("endPosition", "SUCCESS", "secretary")


async def test_no_other_title_at_the_firm_and_no_other_caller(api: Api) -> None:
    firm = await org_named(api, FIRM_A)
    person = await resident(api, 27, "a")
    count = await position_count(api)
    refused = [
        (LIAISON, "committee_member"),
        (LIAISON, "resident"),
        (LIAISON, "property_firm"),
        ("PROPERTY_STAFF", "secretary"),
        ("PROPERTY_MANAGER", "supervisor"),
    ]
    for title, caller in refused:
        result = await appoint(api, person, firm, title, caller)
        assert result.codes == ["FORBIDDEN"], (title, caller)
        entry = await last_entry(api)
        assert (entry.operation, entry.outcome, entry.error_code) == (
            "appointPosition",
            "DENIED",
            "FORBIDDEN",
        )
        assert entry.changes == []
    assert await position_count(api) == count


async def test_another_compounds_secretary_reaches_neither_firm_nor_liaison(api: Api) -> None:
    firm = await org_named(api, FIRM_A)
    liaison = await holder_position(api, firm, LIAISON)
    count = await position_count(api)
    result = await appoint(api, await resident(api, 27, "b"), firm, LIAISON, "secretary_b")
    assert result.codes == ["NOT_FOUND"]  # A's firm is not B's to see
    assert (await last_entry(api)).changes == []
    result = await end(api, liaison, "secretary_b")
    assert result.codes == ["NOT_FOUND"]
    assert await position_count(api) == count
    assert await api.scalar(sa.select(Position.end_date).where(Position.id == liaison)) is None
    # Each secretary lists its own branch's liaison, not the other's.
    mine = await api.run(POSITIONS, {"f": {"titles": [LIAISON]}}, as_="secretary_b")
    ids = {edge["node"]["id"] for edge in mine.ok()["positions"]["edges"]}
    assert gid("Position", liaison) not in ids
    own = await holder_position(api, await org_named(api, FIRM_B), LIAISON)
    assert gid("Position", own) in ids


async def test_an_ended_contract_ends_the_right_to_appoint(api: Api) -> None:
    firm = await org_named(api, FIRM_A)
    async with api.db.write() as session:
        await session.execute(
            sa.update(OrganisationLink)
            .where(
                OrganisationLink.source_id == firm,  # type: ignore[arg-type]
                OrganisationLink.kind == LinkKind.SERVES,  # type: ignore[arg-type]
            )
            .values(end_date=clock.today() - timedelta(days=1))
        )
    count = await position_count(api)
    result = await appoint(api, await resident(api, 27, "a"), firm, LIAISON, "secretary")
    assert result.codes in (["FORBIDDEN"], ["NOT_FOUND"])
    assert (await last_entry(api)).changes == []
    assert await position_count(api) == count
