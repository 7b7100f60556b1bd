"""A joint branch's funds (聯合黨支部): the street grants the grid's joint branch its funds, the
branch spends and reverses them, and its ledger lies at the grid, read by its own officers and
by supervisors above the grid, by no compound's people outside it. "The branch serving a
compound" is one lookup (resolvers/organisations/branches.py), which the cross-appointment
indicator and the secretary sitting in on committee meetings use too."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.models import AuditEntry, Organisation
from resolvers.deliberations.attendees import meetings_i_attend
from resolvers.organisations.branches import branch_serving, compounds_served
from schema.ids import decode_id
from tests.deliberation_helpers import when
from tests.funds_helpers import BALANCES, ENTRY, fen
from tests.helpers import Api, gid
from tests.issue_helpers import ok, report
from tests.lovebank_helpers import token_for
from tests.position_helpers import resident
from tests.schema.test_joint_branch import _create, _joint

LIST = """query ($f: FundEntryFilter) { fundEntries(filter: $f, first: 10) {
  totalCount edges { node { id kind } } } }"""


async def _funded(api: Api) -> dict[str, Any]:
    joint = await _joint(api)
    joint["grant"] = await ok(
        api,
        "grantFunds",
        {"branch": joint["branch"]["id"], "category": "START_UP"},
        as_="supervisor",
        selection=ENTRY,
    )
    return joint


async def _balances(api: Api, place: str, as_: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = (await api.run(BALANCES, {"c": place}, as_=as_)).ok()[
        "fundBalances"
    ]
    return found


async def test_the_street_grants_the_joint_branch_and_it_spends(api: Api) -> None:
    joint = await _funded(api)
    grant = joint["grant"]
    assert grant["compound"] is None
    assert grant["ledger"]["id"] == joint["grid"]["id"]
    assert grant["amount"] == 300_000
    audit = await api.scalar(
        sa.select(AuditEntry)
        .where(AuditEntry.operation == "grantFunds")
        .order_by(AuditEntry.seq.desc())
    )
    assert (audit.outcome, audit.compound_id) == ("SUCCESS", None)
    spent = await ok(
        api,
        "spendBranchFunds",
        {
            "branch": joint["branch"]["id"],
            "category": "SUPPLIES",
            "amount": 45_000,
            "purpose": "聯合支部活動室桌椅",
        },
        as_=joint["token"],
        selection=ENTRY,
    )
    assert spent["ledger"]["id"] == joint["grid"]["id"]
    balances = await _balances(api, joint["grid"]["id"], joint["token"])
    assert balances is not None
    assert (fen(balances["branchFunds"]), fen(balances["spent"])) == (255_000, 45_000)
    listed = await api.run(LIST, {"f": {"compound": joint["grid"]["id"]}}, as_=joint["token"])
    assert listed.ok()["fundEntries"]["totalCount"] == 2
    # Its officers read the funds of each compound of the grid too.
    for compound in joint["small"]:
        assert await _balances(api, compound["id"], joint["token"]) is not None
    # A wrong spending is reversed by the branch.
    await ok(
        api,
        "reverseFundEntry",
        {"entry": spent["id"], "reason": "重複記賬"},
        as_=joint["token"],
        selection="id",
    )
    balances = await _balances(api, joint["grid"]["id"], "supervisor")
    assert balances is not None
    assert fen(balances["branchFunds"]) == 300_000


async def test_the_joint_ledger_is_read_by_no_one_outside_the_grid(api: Api) -> None:
    joint = await _funded(api)
    grid = {"compound": joint["grid"]["id"]}
    for who in ("secretary", "committee_member", "grid_worker", "resident", "partner"):
        assert await _balances(api, joint["grid"]["id"], who) is None, who
        listed = await api.run(LIST, {"f": grid}, as_=who)
        assert listed.ok()["fundEntries"]["totalCount"] == 0, who
    node = "query ($id: ID!) { node(id: $id) { id } }"
    assert (await api.run(node, {"id": joint["grant"]["id"]}, as_="secretary")).ok()["node"] is None


async def test_the_joint_branch_spends_only_for_the_compounds_it_serves(api: Api) -> None:
    joint = await _funded(api)
    issue = await report(api)  # in compound A, outside the joint branch's grid
    result = await api.run(
        "mutation ($i: SpendBranchFundsInput!) { spendBranchFunds(input: $i) { id } }",
        {
            "i": {
                "branch": joint["branch"]["id"],
                "category": "OTHER_SPENDING",
                "amount": 100,
                "purpose": "其他",
                "issue": issue["id"],
            }
        },
        as_=joint["token"],
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "not one of a compound" in result.errors[0]["message"]


async def test_the_branch_serving_a_compound(api: Api) -> None:
    joint = await _joint(api)
    ids = [decode_id(c["id"], "Organisation") for c in joint["small"]]
    branch_id = decode_id(joint["branch"]["id"], "Organisation")
    async with api.db.read_sessions() as session:
        served = await branch_serving(session, ids[0])
        assert served is not None and served.id == branch_id
        joint_branch = await session.get(Organisation, branch_id)
        assert joint_branch is not None
        assert await compounds_served(session, joint_branch) == ids
    # A compound that forms its own branch is served by it, no longer by the joint one.
    own = await _create(api, "小小區2黨支部", "PARTY_BRANCH", joint["small"][1]["id"])
    async with api.db.read_sessions() as session:
        served = await branch_serving(session, ids[1])
        assert served is not None and served.id == decode_id(own["id"], "Organisation")
        joint_branch = await session.get(Organisation, branch_id)
        assert joint_branch is not None
        assert await compounds_served(session, joint_branch) == ids[:1]


async def test_the_joint_branch_counts_in_cross_appointment(api: Api) -> None:
    joint = await _joint(api)
    member = await resident(api, 23, "a")
    for organisation, title in (
        (joint["branch"]["id"], "BRANCH_COMMITTEE_MEMBER"),
        (joint["committees"][0]["id"], "COMMITTEE_MEMBER"),
    ):
        await ok(
            api,
            "appointPosition",
            {"person": gid("Person", member), "organisation": organisation, "title": title},
            as_="admin",
            selection="id",
        )
    query = """query ($c: ID!) { compoundIndicators(compound: $c) {
      governance { committeeMembers crossAppointed } } }"""
    found = await api.run(query, {"c": joint["small"][0]["id"]}, as_="supervisor")
    governance = found.ok()["compoundIndicators"]["governance"]
    assert (governance["committeeMembers"], governance["crossAppointed"]) == (1, 1)
    me = "query { me { person { isCrossAppointed } } }"
    found = await api.run(me, as_=await token_for(api, member))
    assert found.ok()["me"]["person"]["isCrossAppointed"] is True


async def test_the_joint_secretary_sits_in_on_each_committee_it_serves(api: Api) -> None:
    joint = await _joint(api)
    member = await resident(api, 24, "a")
    await ok(
        api,
        "appointPosition",
        {
            "person": gid("Person", member),
            "organisation": joint["committees"][0]["id"],
            "title": "COMMITTEE_MEMBER",
        },
        as_="admin",
        selection="id",
    )
    meeting = await ok(
        api,
        "scheduleCompoundMeeting",
        {
            "body": joint["committees"][0]["id"],
            "title": "業主委員會會議",
            "scheduledFor": when(3),
            "location": "網格服務站",
            "agenda": [],
        },
        as_=await token_for(api, member),
        selection="id",
    )
    meeting_id = decode_id(meeting["id"], "CompoundMeeting")
    for who, attends in ((joint["token"], True), ("secretary", False)):
        ctx = await api.context(who)
        try:
            found = await meetings_i_attend(ctx, [meeting_id])
        finally:
            await ctx.close()
        assert (meeting_id in found) is attends, who
