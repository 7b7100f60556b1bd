"""Compound indicators: figures checked against hand-computed ones on fixed data, who may
read them, and a subtree roll-up whose SQL statement count does not grow with compounds."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from db.models import Organisation, OrganisationKind
from demo.synthetic import add_organisation, synthetic_compound, synthetic_compounds
from schema.ids import encode_id, parse_global_id
from tests.helpers import Api, StatementCounter

ON = date(2026, 6, 30)
FIGURES = """
date periodStart compound { name }
governance { committeeMembers committeePartyMembers committeePartyShare partyShareTarget
  belowPartyShareTarget crossAppointed crossAppointmentRatio buildingPartyGroups
  partyHouseholdHeads }
issues { received resolved overdue medianResolveHours satisfactionAverage satisfactionCount }
firm { firm { name } overallStars evaluationYear standing }
lovePoints { earned redeemed }
coBuilding { committed completed }
"""
ONE = f"""query ($c: ID!, $on: Date) {{ indicatorsOfCompound(compound: $c, date: $on) {{
  {FIGURES} }} }}"""
SUBTREE = f"""query ($o: ID!, $on: Date) {{ indicatorsOfSubtree(organisation: $o, date: $on) {{
  date compoundCount organisation {{ name }}
  governance {{ committeeMembers committeePartyShare crossAppointed buildingPartyGroups }}
  issues {{ received resolved overdue medianResolveHours satisfactionAverage }}
  lovePoints {{ earned redeemed }} coBuilding {{ committed completed }}
  compounds {{ {FIGURES} }} }} }}"""

# What demo/synthetic.py's shape gives on 30 June (worked out in its comments).
EXPECTED: dict[str, Any] = {
    "date": "2026-06-30",
    "periodStart": "2026-01-01",
    "governance": {
        "committeeMembers": 4,
        "committeePartyMembers": 2,
        "committeePartyShare": 0.5,
        "partyShareTarget": 0.5,
        "belowPartyShareTarget": False,
        "crossAppointed": 1,
        "crossAppointmentRatio": 0.25,
        "buildingPartyGroups": 2,
        "partyHouseholdHeads": 1,
    },
    "issues": {
        "received": 7,
        "resolved": 3,
        "overdue": 3,
        "medianResolveHours": 48.0,
        "satisfactionAverage": 3.0,
        "satisfactionCount": 2,
    },
    "firm": None,
    "lovePoints": {"earned": 50, "redeemed": 15},
    "coBuilding": {"committed": 2, "completed": 1},
}


async def _org(api: Api, kind: OrganisationKind, name: str | None = None) -> Organisation:
    async with api.db.read_sessions() as session:
        statement = sa.select(Organisation).where(Organisation.kind == kind)
        if name is not None:
            statement = statement.where(Organisation.name == name)
        found = (await session.execute(statement.order_by(Organisation.id))).scalars().first()
        assert found is not None
        return found


async def _fixed_compound(api: Api, name: str = "指標花苑") -> str:
    community = await _org(api, OrganisationKind.COMMUNITY)
    partner = await _org(api, OrganisationKind.PARTNER_UNIT)
    async with api.db.write() as session:
        compound = await synthetic_compound(session, community, name, ON, partner)
    return str(encode_id("Organisation", compound))


async def test_one_compound_matches_the_hand_computed_figures(api: Api) -> None:
    compound = await _fixed_compound(api)
    result = await api.run(ONE, {"c": compound, "on": ON.isoformat()}, as_="admin")
    figures = result.ok()["indicatorsOfCompound"]
    assert figures.pop("compound") == {"name": "指標花苑"}
    assert figures == EXPECTED


async def test_a_committee_below_half_party_members_is_flagged(api: Api) -> None:
    compound = await _fixed_compound(api)
    # The day after the chair's (a party member's) term ended: 1 of 3 members left is one.
    async with api.db.write() as session:
        await session.execute(
            sa.text(
                "UPDATE position SET end_date = :day WHERE title = 'COMMITTEE_CHAIR' AND "
                "organisation_id IN (SELECT id FROM organisation WHERE compound_id = :c)"
            ),
            {"day": date(2026, 6, 1), "c": parse_global_id(compound)[1]},
        )
    result = await api.run(ONE, {"c": compound, "on": ON.isoformat()}, as_="admin")
    governance = result.ok()["indicatorsOfCompound"]["governance"]
    assert governance["committeeMembers"] == 3
    assert governance["committeePartyShare"] == pytest.approx(0.3333)
    assert governance["belowPartyShareTarget"] is True
    assert governance["crossAppointed"] == 0


async def test_the_demo_compound_reads_the_firm_and_every_part(api: Api) -> None:
    result = await api.run(ONE, {"c": api.ids["compound_a"]}, as_="secretary")
    figures = result.ok()["indicatorsOfCompound"]
    assert figures["compound"] == {"name": "繼光花苑"}
    assert figures["firm"]["firm"] == {"name": "安居物業服務有限公司"}
    assert figures["firm"]["standing"] == "WHITE"
    assert figures["firm"]["evaluationYear"] is not None
    assert figures["lovePoints"] is not None and figures["coBuilding"] is not None
    # The problem list agrees with issueStatistics' overdue count over the same compound today.
    stats = await api.run(
        "query ($c: ID!) { issueStatistics(scope: $c) { overdueCount } }",
        {"c": api.ids["compound_a"]},
        as_="secretary",
    )
    assert figures["issues"]["overdue"] == stats.ok()["issueStatistics"]["overdueCount"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("resident", True),
        ("committee_member", True),
        ("secretary", True),
        ("supervisor", True),
        ("property_firm", False),
        ("resident_b", False),
        ("secretary_b", False),
        ("partner", True),  # the demo partner token carries indicators:read over A
        ("partner_b", False),
    ],
)
async def test_who_reads_a_compounds_indicators(api: Api, role: str, sees: bool) -> None:
    result = await api.run(ONE, {"c": api.ids["compound_a"]}, as_=role)
    assert (result.ok()["indicatorsOfCompound"] is not None) is sees


async def test_residents_see_no_points_they_may_not_read(api: Api) -> None:
    result = await api.run(ONE, {"c": api.ids["compound_a"]}, as_="resident")
    figures = result.ok()["indicatorsOfCompound"]
    assert figures["lovePoints"] is None  # ledger summaries are for the branch and above
    assert figures["issues"]["received"] > 0


async def test_only_a_compound_has_indicators(api: Api) -> None:
    street = await _org(api, OrganisationKind.STREET)
    result = await api.run(
        ONE, {"c": str(encode_id("Organisation", street.id or 0))}, as_="supervisor"
    )
    assert result.codes == ["BAD_USER_INPUT"]


async def test_the_subtree_adds_up_its_compounds(api: Api) -> None:
    street = await _org(api, OrganisationKind.STREET)
    await _fixed_compound(api, "指標一苑")
    await _fixed_compound(api, "指標二苑")
    variables = {"o": str(encode_id("Organisation", street.id or 0)), "on": ON.isoformat()}
    result = (await api.run(SUBTREE, variables, as_="admin")).ok()["indicatorsOfSubtree"]
    mine = [c for c in result["compounds"] if c["compound"]["name"].startswith("指標")]
    assert len(mine) == 2
    for figures in mine:
        figures.pop("compound")
        assert figures == EXPECTED
    # With demo A and B, and D and E (the small compounds of the joint branch's grid).
    assert result["compoundCount"] == len(result["compounds"]) == 6
    totals = result["issues"]
    assert totals["received"] == sum(c["issues"]["received"] for c in result["compounds"])
    assert result["lovePoints"]["earned"] == sum(
        c["lovePoints"]["earned"] for c in result["compounds"]
    )
    assert result["governance"]["buildingPartyGroups"] == sum(
        c["governance"]["buildingPartyGroups"] for c in result["compounds"]
    )


async def test_a_secretary_rolls_up_only_their_own_compound(api: Api) -> None:
    street = await _org(api, OrganisationKind.STREET)
    await _fixed_compound(api)
    variables = {"o": str(encode_id("Organisation", street.id or 0))}
    result = (await api.run(SUBTREE, variables, as_="secretary")).ok()["indicatorsOfSubtree"]
    assert [c["compound"]["name"] for c in result["compounds"]] == ["繼光花苑"]


async def test_the_roll_up_costs_the_same_statements_for_2_and_200_compounds(
    api: Api, statements: StatementCounter
) -> None:
    district = await _org(api, OrganisationKind.DISTRICT)
    partner = await _org(api, OrganisationKind.PARTNER_UNIT)
    counts = {}
    for size in (2, 200):
        async with api.db.write() as session:
            street = await add_organisation(
                session, f"合成街道{size}", OrganisationKind.STREET, district
            )
            await synthetic_compounds(session, street, size, ON, partner)
        variables = {"o": str(encode_id("Organisation", street.id or 0)), "on": ON.isoformat()}
        statements.reset()
        result = (await api.run(SUBTREE, variables, as_="admin")).ok()["indicatorsOfSubtree"]
        counts[size] = statements.count
        assert result["compoundCount"] == size
        assert result["issues"]["received"] == 7 * size
        assert result["issues"]["medianResolveHours"] == 48.0
        assert result["lovePoints"] == {"earned": 50 * size, "redeemed": 15 * size}
    assert counts[2] == counts[200], counts


async def test_a_day_at_the_end_of_the_calendar_is_bad_input(api: Api) -> None:
    result = await api.run(ONE, {"c": api.ids["compound_a"], "on": "9999-12-31"}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
