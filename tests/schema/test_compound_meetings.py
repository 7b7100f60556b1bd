"""Compound meetings (小區黨支部先議) through GraphQL with real tokens: the party branch
deliberates a matter first, the owners' committee takes it only then and holds its meeting
with the branch secretary sitting in (列席); residents read held meetings (minutes and
resolutions disclosed), never drafts; refusals change nothing and are audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db.models import CompoundMeeting, OutboxEvent
from resolvers.deliberations.attendees import meetings_i_attend
from schema.ids import decode_id
from tests.deliberation_helpers import (
    MEETING,
    MEETING_TABLES,
    attend,
    branch_resolved,
    committee_ready,
    hold,
    resolutions,
    schedule,
    when,
)
from tests.disclosure_helpers import branch, committee
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq, ok, person, report
from tests.lovebank_helpers import resident_id, token_for
from tests.mutation_cases import assert_refused

LIST = """query ($f: CompoundMeetingFilter) {
  compoundMeetings(filter: $f, first: 50) { edges { node { id status kind minutes } } } }"""
NODE = "query ($id: ID!) { node(id: $id) { id ... on CompoundMeeting { status minutes } } }"
TRAIL = """query ($id: ID!) { node(id: $id) { ... on CompoundMeeting {
  auditTrail(first: 10) { edges { node { operation } } } } } }"""
DELIBERATIONS = """query ($id: ID!) { node(id: $id) { ... on Issue {
  deliberations { id outcome meeting { id kind } } } } }"""


async def _refused(
    api: Api, name: str, input: dict[str, Any], as_: str, code: str = "BAD_USER_INPUT"
) -> dict[str, Any]:
    result = await assert_refused(api, name, input, as_=as_, code=code, tables=MEETING_TABLES)
    error: dict[str, Any] = result.errors[0]
    return error


async def _listed(api: Api, as_: str, **filter: Any) -> dict[str, str]:
    result = await api.run(LIST, {"f": filter or None}, as_=as_)
    edges = result.ok()["compoundMeetings"]["edges"]
    return {e["node"]["id"]: e["node"]["status"] for e in edges}


# --- the branch deliberates first ------------------------------------------------------------


async def test_the_branch_deliberates_then_the_committee_resolves(api: Api) -> None:
    issue = await report(api)
    seq = await last_seq(api)
    meeting = await schedule(api, agenda=[{"issue": issue["id"]}])
    assert (meeting["kind"], meeting["status"]) == ("BRANCH", "SCHEDULED")
    assert meeting["body"]["id"] == await branch(api)
    assert meeting["agenda"][0]["matter"] == issue["title"]  # the issue's title by default
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.resource_type, entry.outcome) == (
        "scheduleCompoundMeeting",
        "compound_meeting",
        "SUCCESS",
    )
    assert entry.compound_id == api.compound("a")
    await attend(api, meeting, [("secretary", "PRESENT")], as_="secretary")
    held = await hold(api, meeting, as_="secretary")
    assert held["status"] == "HELD" and held["minutes"] and held["heldAt"]
    branch_item = held["agenda"][0]
    assert branch_item["outcome"] == "ADOPTED"

    # The committee takes the matter through the issue the branch resolved.
    committee_meeting = await schedule(
        api, "committee", agenda=[{"issue": issue["id"]}], title="業委會會議"
    )
    assert committee_meeting["body"]["id"] == await committee(api)
    assert committee_meeting["agenda"][0]["branchItem"]["id"] == branch_item["id"]
    attended = await attend(
        api,
        committee_meeting,
        [("secretary", "SITTING_IN"), ("committee_member", "PRESENT"), ("resident", "ABSENT")],
        as_="committee_member",
    )
    roles = {a["person"]["id"]: (a["status"], a["role"]) for a in attended["attendance"]}
    assert roles[await person(api, "secretary")] == ("SITTING_IN", "SECRETARY")
    done = await hold(api, attended, as_="committee_member", votes=(5, 1, 1))
    item = done["agenda"][0]
    assert (item["outcome"], item["votesFor"], item["votesAgainst"]) == ("ADOPTED", 5, 1)

    # The issue links to both deliberations; its reporter (a resident) reads them once held.
    result = await api.run(DELIBERATIONS, {"id": issue["id"]}, as_="resident")
    found = result.ok()["node"]["deliberations"]
    assert [(d["meeting"]["kind"], d["outcome"]) for d in found] == [
        ("BRANCH", "ADOPTED"),
        ("COMMITTEE", "ADOPTED"),
    ]
    # Both were announced on the outbox for their attendees.
    kinds = [e.kind for e in await _events(api, [meeting["id"], committee_meeting["id"]])]
    assert kinds.count("compound_meeting.scheduled") == 2
    assert kinds.count("compound_meeting.held") == 2


async def _events(api: Api, meetings: list[str]) -> list[OutboxEvent]:
    ids = [str(decode_id(m, "CompoundMeeting")) for m in meetings]
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(OutboxEvent).where(
                OutboxEvent.resource_type == "compound_meeting",
                col(OutboxEvent.resource_id).in_(ids),
            )
        )
        return list(rows.scalars().all())


async def test_agenda_attendance_and_deliberations_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    issue = await report(api)
    meeting = await schedule(api, agenda=[{"issue": issue["id"]}])
    await attend(api, meeting, [("secretary", "PRESENT")], as_="secretary")
    held = await hold(api, meeting, as_="secretary")
    committee_meeting = await schedule(
        api, "committee", agenda=[{"issue": issue["id"]}], title="業委會會議"
    )
    attended = await attend(
        api, committee_meeting, [("committee_member", "PRESENT")], as_="committee_member"
    )
    whole_model_reads.clear()
    query = f"query ($id: ID!) {{ node(id: $id) {{ ... on CompoundMeeting {{ {MEETING} }} }} }}"
    read = (await api.run(query, {"id": attended["id"]}, as_="committee_member")).ok()["node"]
    assert read == attended
    assert read["agenda"][0]["branchItem"]["id"] == held["agenda"][0]["id"]
    result = await api.run(DELIBERATIONS, {"id": issue["id"]}, as_="secretary")
    found = result.ok()["node"]["deliberations"]
    assert [d["meeting"]["kind"] for d in found] == ["BRANCH", "COMMITTEE"]
    assert whole_model_reads == []


async def test_a_committee_matter_the_branch_has_not_resolved_is_refused(api: Api) -> None:
    issue = await report(api)
    # Not deliberated at all: by matter only, or by an issue the branch never took.
    for entry in ({"matter": "更換物業公司"}, {"issue": issue["id"]}):
        meeting_input = {
            "body": await committee(api),
            "title": "業委會會議",
            "scheduledFor": when(3),
            "agenda": [entry],
        }
        error = await _refused(api, "scheduleCompoundMeeting", meeting_input, "committee_member")
        assert error["extensions"]["reason"] == "BRANCH_NOT_CONSULTED"
        assert "party branch deliberates first" in error["message"]
    # Deferred by the branch is not deliberated; nor is a scheduled branch meeting's item.
    deferred = await branch_resolved(api, outcome="DEFERRED")
    pending = (await schedule(api, days=2))["agenda"][0]
    meeting = await schedule(api, "committee", agenda=[], days=3)
    for item in (deferred, pending):
        error = await _refused(
            api,
            "addCompoundMeetingItem",
            {"meeting": meeting["id"], "item": {"branchItem": item["id"]}},
            "committee_member",
        )
        assert error["extensions"]["reason"] == "BRANCH_NOT_CONSULTED"
    # Another compound's branch item does not open A's committee to the matter.
    other = await branch_resolved(api, "b")
    error = await _refused(
        api,
        "addCompoundMeetingItem",
        {"meeting": meeting["id"], "item": {"branchItem": other["id"]}},
        "committee_member",
    )
    assert error["extensions"]["reason"] == "BRANCH_NOT_CONSULTED"
    # A rejected resolution was deliberated: the committee may take it up.
    rejected = await branch_resolved(api, outcome="REJECTED")
    added = await ok(
        api,
        "addCompoundMeetingItem",
        {"meeting": meeting["id"], "item": {"branchItem": rejected["id"]}},
        as_="committee_member",
        selection=MEETING,
    )
    assert [i["branchItem"]["id"] for i in added["agenda"]] == [rejected["id"]]


async def test_the_committee_meets_only_with_the_branch_secretary_sitting_in(api: Api) -> None:
    item = await branch_resolved(api)
    meeting = await schedule(api, "committee", agenda=[{"branchItem": item["id"]}])
    meeting = await attend(api, meeting, [("committee_member", "PRESENT")], as_="committee_member")
    held = {
        "id": meeting["id"],
        "minutes": "紀要",
        "resolutions": resolutions(meeting, votes=(3, 0, 0)),
    }
    error = await _refused(api, "holdCompoundMeeting", held, "committee_member")
    assert error["extensions"]["reason"] == "SECRETARY_NOT_SITTING_IN"
    # Recorded absent is not sitting in.
    meeting = await attend(api, meeting, [("secretary", "ABSENT")], as_="committee_member")
    error = await _refused(api, "holdCompoundMeeting", held, "committee_member")
    assert error["extensions"]["reason"] == "SECRETARY_NOT_SITTING_IN"
    await attend(api, meeting, [("secretary", "SITTING_IN")], as_="committee_member")
    done = await ok(api, "holdCompoundMeeting", held, as_="committee_member", selection=MEETING)
    assert done["status"] == "HELD"


async def test_the_committee_votes_and_the_votes_must_agree(api: Api) -> None:
    meeting = await committee_ready(api)
    for votes, outcome in (((None, None, None), "ADOPTED"), ((1, 4, 0), "ADOPTED")):
        given = resolutions(meeting, outcome)
        given[0] |= dict(zip(("votesFor", "votesAgainst", "votesAbstain"), votes, strict=True))
        await _refused(
            api,
            "holdCompoundMeeting",
            {"id": meeting["id"], "minutes": "紀要", "resolutions": given},
            "committee_member",
        )
    # Every item needs a resolution; a meeting yet to meet is not held.
    await _refused(
        api,
        "holdCompoundMeeting",
        {"id": meeting["id"], "minutes": "紀要", "resolutions": []},
        "committee_member",
    )
    future = await schedule(api, days=5)
    await _refused(
        api,
        "holdCompoundMeeting",
        {"id": future["id"], "minutes": "紀要", "resolutions": resolutions(future)},
        "secretary",
    )


# --- who may ---------------------------------------------------------------------------------


async def test_only_members_of_the_body_run_its_meetings(api: Api) -> None:
    # The branch secretary sits in on the committee but does not convene it; residents and
    # supervisors run neither body's meetings.
    for body, as_ in (("committee", "secretary"), ("branch", "resident"), ("branch", "supervisor")):
        meeting_input = {
            "body": await (branch if body == "branch" else committee)(api),
            "title": "會議",
            "scheduledFor": when(3),
        }
        error = await _refused(api, "scheduleCompoundMeeting", meeting_input, as_, "FORBIDDEN")
        assert "schedule meetings of this body" in error["message"]
    meeting = await committee_ready(api)
    held = {"id": meeting["id"], "minutes": "紀要", "resolutions": resolutions(meeting)}
    await _refused(api, "holdCompoundMeeting", held, "secretary", "FORBIDDEN")
    await _refused(
        api,
        "cancelCompoundMeeting",
        {"id": meeting["id"], "reason": "改期"},
        "secretary",
        "FORBIDDEN",
    )


async def test_another_compounds_people_see_and_change_nothing(api: Api) -> None:
    draft = await schedule(api, days=3)
    held = await hold(api, await schedule(api), as_="secretary")
    for as_ in ("secretary_b", "resident_b", "committee_member_b"):
        listed = await _listed(api, as_)
        assert draft["id"] not in listed and held["id"] not in listed
        result = await api.run(NODE, {"id": held["id"]}, as_=as_)
        assert result.ok()["node"] is None
    await _refused(
        api,
        "cancelCompoundMeeting",
        {"id": draft["id"], "reason": "越權"},
        "secretary_b",
        "NOT_FOUND",
    )
    await _refused(
        api,
        "addCompoundMeetingItem",
        {"meeting": draft["id"], "item": {"matter": "越權"}},
        "committee_member_b",
        "NOT_FOUND",
    )


async def test_residents_read_held_meetings_never_drafts(api: Api) -> None:
    draft = await schedule(api, days=3)
    cancelled = await schedule(api, days=4)
    await ok(
        api,
        "cancelCompoundMeeting",
        {"id": cancelled["id"], "reason": "議題已解決"},
        as_="secretary",
        selection="id",
    )
    held = await hold(api, await schedule(api), as_="secretary")
    listed = await _listed(api, "resident")
    assert held["id"] in listed
    assert draft["id"] not in listed and cancelled["id"] not in listed
    assert set(listed.values()) == {"HELD"}
    node = (await api.run(NODE, {"id": held["id"]}, as_="resident")).ok()["node"]
    assert node["minutes"] == held["minutes"]
    assert (await api.run(NODE, {"id": draft["id"]}, as_="resident")).ok()["node"] is None
    # The body's members and the branch secretary read the drafts too.
    for as_ in ("secretary", "committee_member", "supervisor"):
        assert draft["id"] in await _listed(api, as_)


async def test_the_branch_deputy_reads_the_committees_meetings_from_scheduling(
    api: Api,
) -> None:
    # The branch's secretary or deputy sits in (列席) on the owners' committee's meetings, so
    # reads them scheduled and cancelled, not only once held.
    deputy = "deputy_secretary"
    draft = await schedule(api, "committee", agenda=[], days=3)
    called_off = await schedule(api, "committee", agenda=[], days=4)
    await ok(
        api,
        "cancelCompoundMeeting",
        {"id": called_off["id"], "reason": "改期"},
        as_="committee_member",
        selection="id",
    )
    b_member = await token_for(api, await resident_id(api, "b", 4))  # on B's committee
    b_draft = await schedule(api, "committee", "b", as_=b_member, agenda=[], days=3)
    listed = await _listed(api, deputy)
    assert listed[draft["id"]] == "SCHEDULED" and listed[called_off["id"]] == "CANCELLED"
    assert b_draft["id"] not in listed
    assert (await api.run(NODE, {"id": draft["id"]}, as_=deputy)).ok()["node"] is not None
    assert (await api.run(NODE, {"id": b_draft["id"]}, as_=deputy)).ok()["node"] is None
    # Nor a resident of A, nor B's people: B's secretary reads B's draft, B's branch
    # committee member (committee_member_b, not a leader of the branch) does not.
    for as_ in ("resident", "secretary_b", "committee_member_b", "resident_b"):
        assert draft["id"] not in await _listed(api, as_), as_
        assert (await api.run(NODE, {"id": draft["id"]}, as_=as_)).ok()["node"] is None, as_
    assert b_draft["id"] in await _listed(api, "secretary_b")
    assert b_draft["id"] not in await _listed(api, "committee_member_b")
    # They hear of it, and sitting in is not running it: a cancel is refused and audited.
    assert await _attending(api, deputy, [draft]) == {draft["id"]}
    error = await _refused(
        api, "cancelCompoundMeeting", {"id": draft["id"], "reason": "越權"}, deputy, "FORBIDDEN"
    )
    assert "cancel" in error["message"]


async def test_a_meeting_has_its_audit_trail(api: Api) -> None:
    meeting = await schedule(api, days=3)
    await ok(
        api,
        "addCompoundMeetingItem",
        {"meeting": meeting["id"], "item": {"matter": "樓道堆物清理"}},
        as_="secretary",
        selection="id",
    )
    changed = await ok(
        api,
        "removeCompoundMeetingItem",
        {"meeting": meeting["id"], "item": meeting["agenda"][0]["id"]},
        as_="secretary",
        selection=MEETING,
    )
    assert [i["matter"] for i in changed["agenda"]] == ["樓道堆物清理"]
    result = await api.run(TRAIL, {"id": meeting["id"]}, as_="secretary")
    operations = [e["node"]["operation"] for e in result.ok()["node"]["auditTrail"]["edges"]]
    assert set(operations) == {
        "scheduleCompoundMeeting",
        "addCompoundMeetingItem",
        "removeCompoundMeetingItem",
    }


async def test_a_held_or_cancelled_meeting_stands(api: Api) -> None:
    held = await hold(api, await schedule(api), as_="secretary")
    for name, input in (
        ("cancelCompoundMeeting", {"id": held["id"], "reason": "x"}),
        ("addCompoundMeetingItem", {"meeting": held["id"], "item": {"matter": "x"}}),
        ("holdCompoundMeeting", {"id": held["id"], "minutes": "x", "resolutions": []}),
    ):
        error = await _refused(api, name, input, "secretary")
        assert "only a scheduled meeting changes" in error["message"]


async def test_bad_input_is_refused(api: Api) -> None:
    meeting_input = {"body": await branch(api), "scheduledFor": when(2)}
    # A body that is neither the branch nor the owners' committee; an empty title.
    board = api.ids["compound_a"]
    await _refused(
        api, "scheduleCompoundMeeting", {**meeting_input, "body": board, "title": "x"}, "secretary"
    )
    await _refused(api, "scheduleCompoundMeeting", {**meeting_input, "title": " "}, "secretary")
    meeting = await schedule(api, days=2)
    # A branch matter rests on nothing; an empty matter without an issue says nothing.
    other = await branch_resolved(api)
    for item in ({"branchItem": other["id"]}, {"matter": " "}):
        await _refused(
            api, "addCompoundMeetingItem", {"meeting": meeting["id"], "item": item}, "secretary"
        )
    # Another compound's issue is not this meeting's matter.
    issue_b = await report(api, as_="resident_b", compound="b")
    await _refused(
        api,
        "addCompoundMeetingItem",
        {"meeting": meeting["id"], "item": {"issue": issue_b["id"]}},
        "secretary",
        "NOT_FOUND",
    )
    await _refused(
        api,
        "recordCompoundMeetingAttendance",
        {"meeting": meeting["id"], "attendees": []},
        "secretary",
    )


async def test_stored_rows_match_the_api(api: Api) -> None:
    meeting = await schedule(api, days=2)
    row = await api.scalar(
        __import__("sqlalchemy")
        .select(CompoundMeeting)
        .where(CompoundMeeting.id == decode_id(meeting["id"], "CompoundMeeting"))
    )
    assert row.compound_id == api.compound("a") and row.kind == "BRANCH"


# --- who hears of it (myNotifications) -------------------------------------------------------


async def _attending(api: Api, as_: str, meetings: list[dict[str, Any]]) -> set[str]:
    ctx = await api.context(as_)
    try:
        ids = [decode_id(m["id"], "CompoundMeeting") for m in meetings]
        found = await meetings_i_attend(ctx, ids)
    finally:
        await ctx.close()
    return {m["id"] for m in meetings if decode_id(m["id"], "CompoundMeeting") in found}


async def test_announcements_reach_the_attendees(api: Api) -> None:
    draft = await schedule(api, "committee", agenda=[], days=3)
    ready = await committee_ready(api)
    # Recorded present, a resident hears of the meeting once it is held (and may read it).
    ready = await attend(api, ready, [("resident", "PRESENT")], as_="committee_member")
    both = [draft, ready]
    # The committee's members attend; the branch secretary sits in on both.
    assert await _attending(api, "committee_member", both) == {draft["id"], ready["id"]}
    assert await _attending(api, "secretary", both) == {draft["id"], ready["id"]}
    assert await _attending(api, "resident", both) == set()
    assert await _attending(api, "supervisor", both) == set()  # reads, but does not attend
    held = await hold(api, ready, as_="committee_member", votes=(3, 0, 0))
    assert await _attending(api, "resident", [draft, held]) == {held["id"]}
    for outsider in ("secretary_b", "committee_member_b", "resident_b"):
        assert await _attending(api, outsider, [draft, held]) == set()
