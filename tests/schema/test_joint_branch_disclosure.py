"""A joint branch's public disclosure, meetings and funds in its compounds' indicators (聯合黨
支部): it lies in no compound, so it names the compound it serves that a notice, a fund
statement or a meeting is for; that compound's residents read it (scoped in SQL), no other
compound's do; a compound it serves shows its funds in the indicators, labelled as the joint
branch's and counted once in a subtree."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.models import AuditEntry, CompoundMeeting, Notice, Organisation, OutboxEvent
from schema.ids import decode_id
from tests.deliberation_helpers import MEETING, when
from tests.disclosure_helpers import DISCLOSURE_TABLES, NOTICE, branch, committee
from tests.funds_helpers import ENTRY, fen
from tests.helpers import Api
from tests.issue_helpers import ok, person
from tests.lovebank_helpers import token_for
from tests.mutation_cases import assert_refused
from tests.schema.mutation_cases_joint import joint_branch
from tests.schema.mutation_cases_joint import publish_input as joint_notice
from tests.schema.mutation_cases_joint import schedule_input as joint_meeting
from tests.schema.test_joint_branch import _joint

LIST = """query ($f: NoticeFilter) { notices(filter: $f, first: 20) {
  edges { node { id title compound { id } publisher { id } } } } }"""
MEETINGS = """query ($f: CompoundMeetingFilter) { compoundMeetings(filter: $f, first: 20) {
  edges { node { id status } } } }"""
INDICATORS = """query ($c: ID!) { indicatorsOfCompound(compound: $c) {
  funds { granted spent revenue fromJointBranch } } }"""


async def _resident_of(api: Api, compound: str) -> str:
    """A token of a new resident of COMPOUND (registered by the admin)."""
    made = await ok(
        api,
        "registerPerson",
        {"name": "聯合網格居民", "compound": compound},
        as_="admin",
        selection="id",
    )
    return await token_for(api, decode_id(made["id"], "Person"))


def _notice(joint: dict[str, Any], n: int, **fields: Any) -> dict[str, Any]:
    return {
        "publisher": joint["branch"]["id"],
        "compound": joint["small"][n]["id"],
        "kind": "AFFAIRS",
        "title": "聯合黨支部活動公示",
        "body": "聯合黨支部本月組織各小區志願服務。",
        **fields,
    }


async def test_a_joint_branch_publishes_a_notice_to_a_compound_it_serves(api: Api) -> None:
    joint = await _joint(api)
    notice = await ok(api, "publishNotice", _notice(joint, 0), as_=joint["token"], selection=NOTICE)
    assert notice["compound"]["id"] == joint["small"][0]["id"]
    assert notice["publisher"]["id"] == joint["branch"]["id"]
    inside = await _resident_of(api, joint["small"][0]["id"])
    other = await _resident_of(api, joint["small"][1]["id"])
    for who, sees in ((inside, True), (other, False), ("resident", False), (joint["token"], True)):
        edges = (await api.run(LIST, None, as_=who)).ok()["notices"]["edges"]
        assert (notice["id"] in {e["node"]["id"] for e in edges}) is sees, who
    # Its residents ask about it, and the joint branch answers.
    question = await ok(
        api,
        "askAboutNotice",
        {"notice": notice["id"], "question": "活動在哪裡？"},
        as_=inside,
        selection="id",
    )
    await ok(
        api,
        "answerNoticeQuestion",
        {"question": question["id"], "answer": "網格服務站。"},
        as_=joint["token"],
        selection="id",
    )


async def test_a_joint_branch_names_a_compound_it_serves(api: Api) -> None:
    joint = await _joint(api)
    token = joint["token"]
    for compound in (None, api.ids["compound_a"]):  # none named; one it does not serve
        fields = _notice(joint, 0, compound=compound)
        await assert_refused(
            api, "publishNotice", fields, as_=token, code="BAD_USER_INPUT", tables=DISCLOSURE_TABLES
        )
    # A compound's own branch publishes to its own compound only.
    fields = _notice(joint, 0, publisher=await branch(api))
    await assert_refused(
        api,
        "publishNotice",
        fields,
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=DISCLOSURE_TABLES,
    )


async def _grant_start_up(api: Api, joint: dict[str, Any]) -> None:
    """The street's start-up funds for the joint branch (granted by the supervisor)."""
    await ok(
        api,
        "grantFunds",
        {"branch": joint["branch"]["id"], "category": "START_UP"},
        as_="supervisor",
        selection=ENTRY,
    )


async def test_a_joint_branch_publishes_its_fund_statement(api: Api) -> None:
    joint = await _joint(api)
    await _grant_start_up(api, joint)
    notice = await ok(
        api,
        "publishFundStatement",
        {"publisher": joint["branch"]["id"], "compound": joint["small"][1]["id"]},
        as_=joint["token"],
        selection=NOTICE,
    )
    assert notice["compound"]["id"] == joint["small"][1]["id"]
    assert notice["kind"] == "FINANCES"
    assert "聯合黨支部" in notice["body"] and "3000.00" in notice["body"]
    reader = await _resident_of(api, joint["small"][1]["id"])
    edges = (await api.run(LIST, None, as_=reader)).ok()["notices"]["edges"]
    assert notice["id"] in {e["node"]["id"] for e in edges}


async def test_a_joint_branch_holds_its_meeting_for_a_compound_it_serves(api: Api) -> None:
    joint = await _joint(api)
    meeting = await ok(
        api,
        "scheduleCompoundMeeting",
        {
            "body": joint["branch"]["id"],
            "compound": joint["small"][0]["id"],
            "title": "聯合黨支部委員會議",
            "scheduledFor": when(-1),
            "agenda": [{"matter": "兩個小區共建議事"}],
        },
        as_=joint["token"],
        selection=MEETING,
    )
    assert (meeting["kind"], meeting["compound"]["id"]) == ("BRANCH", joint["small"][0]["id"])
    assert meeting["body"]["id"] == joint["branch"]["id"]
    listed = (await api.run(MEETINGS, None, as_=joint["token"])).ok()["compoundMeetings"]
    assert meeting["id"] in {e["node"]["id"] for e in listed["edges"]}
    # Another compound's secretary reads nothing of it.
    listed = (await api.run(MEETINGS, None, as_="secretary")).ok()["compoundMeetings"]
    assert meeting["id"] not in {e["node"]["id"] for e in listed["edges"]}
    await assert_refused(
        api,
        "scheduleCompoundMeeting",
        {
            "body": joint["branch"]["id"],
            "title": "未指明小區",
            "scheduledFor": when(2),
        },
        as_=joint["token"],
        code="BAD_USER_INPUT",
        tables=(CompoundMeeting,),
    )


async def test_a_compound_served_by_a_joint_branch_shows_its_funds(api: Api) -> None:
    joint = await _joint(api)
    await _grant_start_up(api, joint)
    await ok(
        api,
        "spendBranchFunds",
        {
            "branch": joint["branch"]["id"],
            "category": "SUPPLIES",
            "amount": 20_000,
            "purpose": "活動用品",
        },
        as_=joint["token"],
        selection="id",
    )
    for compound in joint["small"]:
        found = await api.run(INDICATORS, {"c": compound["id"]}, as_="supervisor")
        funds = found.ok()["indicatorsOfCompound"]["funds"]
        assert (fen(funds["granted"]), fen(funds["spent"]), funds["fromJointBranch"]) == (
            300_000,
            20_000,
            True,
        )
    # A subtree over the grid counts the joint branch's money once.
    subtree = """query ($o: ID!) { indicatorsOfSubtree(organisation: $o) {
      funds { granted spent } } }"""
    found = await api.run(subtree, {"o": joint["grid"]["id"]}, as_="supervisor")
    total = found.ok()["indicatorsOfSubtree"]["funds"]
    assert (fen(total["granted"]), fen(total["spent"])) == (300_000, 20_000)
    # A compound with its own branch is not labelled.
    own = await api.run(INDICATORS, {"c": api.ids["compound_a"]}, as_="supervisor")
    assert own.ok()["indicatorsOfCompound"]["funds"]["fromJointBranch"] is False


async def test_refusals_leave_no_notice_behind(api: Api) -> None:
    joint = await _joint(api)
    before = await api.scalar(sa.select(sa.func.count()).select_from(Notice))
    # The compound's resident may not publish for the joint branch (nor see it).
    resident = await _resident_of(api, joint["small"][0]["id"])
    await assert_refused(
        api,
        "publishNotice",
        _notice(joint, 0),
        as_=resident,
        code="NOT_FOUND",
        tables=DISCLOSURE_TABLES,
    )
    assert await api.scalar(sa.select(sa.func.count()).select_from(Notice)) == before


async def test_a_member_of_another_compound_s_branch_is_not_cross_appointed_here(
    api: Api,
) -> None:
    # A's committee member a3 sits on A's branch committee; on B's owners' committee too, a3
    # is no member of the branch serving B, so B counts a committee member but no
    # cross-appointment (the serving-branch lookup is correlated to each compound).
    query = """query ($c: ID!) { indicatorsOfCompound(compound: $c) {
      governance { committeeMembers crossAppointed } } }"""

    async def governance() -> Any:
        found = await api.run(query, {"c": api.ids["compound_b"]}, as_="supervisor")
        return found.ok()["indicatorsOfCompound"]["governance"]

    before = await governance()
    await ok(
        api,
        "appointPosition",
        {
            "person": await person(api, "committee_member"),
            "organisation": await committee(api, "b"),
            "title": "COMMITTEE_MEMBER",
        },
        as_="admin",
        selection="id",
    )
    after = await governance()
    assert after["committeeMembers"] == before["committeeMembers"] + 1
    assert after["crossAppointed"] == before["crossAppointed"]


async def test_a_joint_branch_s_notice_and_meeting_are_audited_and_announced_in_the_compound(
    api: Api,
) -> None:
    # The residents of D hear of the notice (myNotifications: events of their compound), and a
    # partner over D reads its event (by path): the entry and its event lie in D, not at the
    # joint branch above it.
    d_path = await api.scalar(
        sa.select(Organisation.path).where(Organisation.id == api.compound("d"))
    )
    notice = await ok(
        api, "publishNotice", await joint_notice(api), as_="joint_secretary", selection="id"
    )
    event = await api.scalar(sa.select(OutboxEvent).order_by(OutboxEvent.id.desc()).limit(1))
    assert (event.kind, event.resource_id) == (
        "notice.published",
        str(decode_id(notice["id"], "Notice")),
    )
    assert event.compound_id == api.compound("d")
    assert event.organisation_path.startswith(d_path)
    # So do the changes of the notice after it: an answer's event reaches a partner over D.
    await ok(
        api,
        "withdrawNotice",
        {"notice": notice["id"], "reason": "更正"},
        as_="joint_secretary",
        selection="id",
    )
    entry = await api.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    assert (entry.operation, entry.compound_id) == ("withdrawNotice", api.compound("d"))
    for name, input in (
        (
            "publishFundStatement",
            {"publisher": await joint_branch(api), "compound": api.ids["compound_d"]},
        ),
        ("scheduleCompoundMeeting", await joint_meeting(api)),
    ):
        await ok(api, name, input, as_="joint_secretary", selection="id")
        entry = await api.scalar(sa.select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
        assert (entry.operation, entry.compound_id) == (name, api.compound("d"))
        assert entry.organisation_path.startswith(d_path), name
