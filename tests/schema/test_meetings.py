"""Joint meetings (聯席會議): scheduling with participants and escalated issues on the agenda,
escalating onto an agenda, and recording decisions that send issues back into work."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from db.models import JointMeeting, JointMeetingItem, JointMeetingParticipant
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import (
    COMMITTEE_A,
    COMMITTEE_B,
    COMMUNITY,
    DEPARTMENT,
    DISTRICT,
    FIRM_A,
    PARTNER,
    entries_since,
    escalate,
    events,
    issue_in,
    last_seq,
    mutate,
    ok,
    org,
    org_id,
    person_id,
    report,
    resolve,
    row,
    timeline,
)

MEETING = """
id title status scheduledFor location minutes version organisation { id }
participants { id name }
agenda { decision decidedAt issue { id status } }
"""
DECIDED = ISSUE = "id status version assignee { id } allowedNextStatuses"
# Decisions are recorded once a meeting has met: the meetings here took place in the past.
WHEN = "2026-01-10T10:00:00+08:00"
LATER = "2099-01-10T10:00:00+08:00"


async def _schedule(
    api: Api,
    *,
    agenda: list[str] = (),
    participants: list[str] | None = None,
    as_: str = "secretary",
    host: str | None = None,
    when: str = WHEN,
) -> dict[str, Any]:
    input = {
        "organisation": host or api.ids["compound_a"],
        "title": "繼光花苑聯席會議",
        "scheduledFor": when,
        "location": "社區黨群服務中心",
        "participants": participants if participants is not None else [await org(api, COMMITTEE_A)],
        "agenda": list(agenda),
    }
    return await ok(api, "scheduleJointMeeting", input, as_=as_, selection=MEETING)


async def _decide(api: Api, meeting: str, issue: str, as_: str = "secretary", **extra: Any) -> Any:
    return await mutate(
        api,
        "recordMeetingDecision",
        {"meeting": meeting, "issue": issue, "decision": "由住建局牽頭加裝電梯", **extra},
        as_=as_,
        selection=ISSUE,
    )


async def _meeting(api: Api, id_: str, as_: str = "admin") -> dict[str, Any]:
    result = await api.run(
        f"query ($id: ID!) {{ node(id: $id) {{ ... on JointMeeting {{ {MEETING} }} }} }}",
        {"id": id_},
        as_=as_,
    )
    node: dict[str, Any] = result.ok()["node"]
    return node


async def _snapshot(api: Api) -> tuple[int, int, int]:
    counts = []
    for table in (JointMeeting, JointMeetingParticipant, JointMeetingItem):
        counts.append(int(await api.scalar(sa.select(sa.func.count()).select_from(table))))
    return counts[0], counts[1], counts[2]


async def _items(api: Api, meeting: str) -> list[JointMeetingItem]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(JointMeetingItem).where(
                JointMeetingItem.meeting_id == decode_id(meeting, "JointMeeting")
            )
        )
        return list(rows.scalars().all())


async def test_the_secretary_schedules_a_meeting_with_partners_and_escalated_issues(
    api: Api,
) -> None:
    first, second = await issue_in(api, "ESCALATED"), await issue_in(api, "ESCALATED")
    # A department new to the compound, besides the district's housing department.
    created = await api.run(
        "mutation ($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id name } }",
        {
            "i": {
                "name": "蕉城區城市管理局",
                "kind": "DEPARTMENT",
                "parent": await org(api, DISTRICT),
            }
        },
        as_="admin",
    )
    newcomer = created.ok()["createOrganisation"]
    names = [COMMITTEE_A, FIRM_A, PARTNER, DEPARTMENT, newcomer["name"]]
    participants = [await org(api, n) for n in names]
    department = "query ($id: ID!) { organisation(id: $id) { name } }"
    dept = {"id": newcomer["id"]}
    assert (await api.run(department, dept, as_="secretary")).ok()["organisation"] is None
    seq = await last_seq(api)

    meeting = await _schedule(
        api, agenda=[second["id"], first["id"], first["id"]], participants=participants
    )

    assert meeting["status"] == "SCHEDULED"
    assert meeting["version"] == 1
    assert datetime.fromisoformat(meeting["scheduledFor"]) == datetime(2026, 1, 10, 2, tzinfo=UTC)
    assert (await _meeting(api, meeting["id"]))["scheduledFor"] == "2026-01-10T02:00:00+00:00"
    assert meeting["organisation"]["id"] == api.ids["compound_a"]
    assert meeting["minutes"] is None
    assert [a["issue"]["id"] for a in meeting["agenda"]] == sorted(
        [first["id"], second["id"]], key=lambda i: decode_id(i, "Issue")
    )
    assert all(a["decision"] is None and a["decidedAt"] is None for a in meeting["agenda"])
    # The department takes part; the secretary sees it as a participant (and, from now on, as an
    # organisation: it is invited to a meeting of their compound).
    assert {p["name"] for p in meeting["participants"]} == set(names)
    assert {p["name"] for p in (await _meeting(api, meeting["id"]))["participants"]} == set(names)
    async with api.db.read_sessions() as session:
        invited = await session.execute(
            sa.select(JointMeetingParticipant.organisation_id).where(
                JointMeetingParticipant.meeting_id == decode_id(meeting["id"], "JointMeeting")
            )
        )
        assert sorted(invited.scalars().all()) == sorted([await org_id(api, n) for n in names])
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.resource_type, entry.role) == (
        "scheduleJointMeeting",
        "SUCCESS",
        "meeting",
        "secretary",
    )
    assert (await api.run(department, dept, as_="secretary")).ok()["organisation"] == {
        "name": newcomer["name"]
    }
    assert (await api.run(department, dept, as_="resident_b")).ok()["organisation"] is None
    changes = {c["field"]: c["after"] for c in entry.changes}
    assert changes["agenda"] == sorted(decode_id(i["id"], "Issue") for i in (first, second))
    assert changes["participants"] == sorted([await org_id(api, n) for n in names])

    # The compound reads it; B does not.
    listing = (
        "query ($o: ID) { jointMeetings(organisation: $o, first: 100) { edges { node { id } } } }"
    )
    for who, sees in (
        ("resident", True),
        ("committee_member", True),
        ("supervisor", True),
        ("resident_b", False),
    ):
        result = await api.run(listing, {"o": api.ids["compound_a"]}, as_=who)
        ids = {e["node"]["id"] for e in result.ok()["jointMeetings"]["edges"]}
        assert (meeting["id"] in ids) is sees, who


async def test_a_meeting_s_participants_and_agenda_are_read_as_columns(
    api: Api, whole_model_reads: list[str]
) -> None:
    first, second = await issue_in(api, "ESCALATED"), await issue_in(api, "ESCALATED")
    participants = [await org(api, n) for n in (COMMITTEE_A, FIRM_A)]
    meeting = await _schedule(api, agenda=[first["id"], second["id"]], participants=participants)
    whole_model_reads.clear()
    read = await _meeting(api, meeting["id"])
    assert {p["name"] for p in read["participants"]} == {COMMITTEE_A, FIRM_A}
    assert [a["issue"]["id"] for a in read["agenda"]] == [
        a["issue"]["id"] for a in meeting["agenda"]
    ]
    assert len(read["agenda"]) == 2
    assert whole_model_reads == []


async def test_schedule_answers_the_time_in_utc(api: Api) -> None:
    """As documented, and as it reads back later, whatever offset the caller sent."""
    meeting = await _schedule(api)
    assert meeting["scheduledFor"] == "2026-01-10T02:00:00+00:00"


@pytest.mark.parametrize("state", ["REPORTED", "CLAIMED", "IN_PROGRESS", "RESOLVED", "CLOSED"])
async def test_only_escalated_issues_go_on_the_agenda(api: Api, state: str) -> None:
    escalated = await issue_in(api, "ESCALATED")
    other = await issue_in(api, state)
    before = await _snapshot(api)
    seq = await last_seq(api)
    result = await mutate(
        api,
        "scheduleJointMeeting",
        {
            "organisation": api.ids["compound_a"],
            "title": "會議",
            "scheduledFor": WHEN,
            "agenda": [escalated["id"], other["id"]],
        },
        as_="secretary",
        selection="id",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    # The issue is named by its title, never by an internal id.
    title = (await row(api, other["id"])).title
    assert f"“{title}” is {state}" in result.errors[0]["message"]
    assert await _snapshot(api) == before
    (entry,) = await entries_since(api, seq)
    assert (entry.outcome, entry.error_code, entry.changes) == ("REJECTED", "BAD_USER_INPUT", [])


@pytest.mark.parametrize(
    ("input", "message"),
    [
        ({"scheduledFor": "2026-12-01T10:00:00"}, "time zone"),
        ({"title": "  "}, "title must not be empty"),
        ({"organisation": "COMMITTEE"}, "held by a compound or a community"),
    ],
)
async def test_schedule_refuses_bad_input(api: Api, input: dict[str, Any], message: str) -> None:
    if input.get("organisation") == "COMMITTEE":
        input = {**input, "organisation": await org(api, COMMITTEE_A)}
    before = await _snapshot(api)
    result = await mutate(
        api,
        "scheduleJointMeeting",
        {"organisation": api.ids["compound_a"], "title": "會議", "scheduledFor": WHEN, **input},
        as_="secretary",
        selection="id",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert message in result.errors[0]["message"]
    assert await _snapshot(api) == before


async def test_escalating_onto_a_meeting_puts_the_issue_on_its_agenda(api: Api) -> None:
    meeting = await _schedule(api)
    issue = await issue_in(api, "IN_PROGRESS")
    escalated = await escalate(api, issue["id"], meeting=meeting["id"])
    assert escalated["status"] == "ESCALATED"
    agenda = (await _meeting(api, meeting["id"], as_="secretary"))["agenda"]
    assert [a["issue"]["id"] for a in agenda] == [issue["id"]]
    last = (await timeline(api, issue["id"]))[-1]
    assert (last["kind"], last["fromStatus"], last["toStatus"], last["meeting"]) == (
        "ESCALATION",
        "IN_PROGRESS",
        "ESCALATED",
        {"id": meeting["id"]},
    )
    entry = (await entries_since(api, await last_seq(api) - 1))[-1]
    assert {
        "field": "meeting_id",
        "before": None,
        "after": decode_id(meeting["id"], "JointMeeting"),
    } in entry.changes


async def test_a_community_meeting_takes_issues_of_its_compounds_a_compound_meeting_does_not(
    api: Api,
) -> None:
    community = await _schedule(api, host=await org(api, COMMUNITY), as_="admin")
    of_a = await _schedule(api)
    issue_b = await report(api, as_="resident_b", compound="b")
    on_community = await escalate(api, issue_b["id"], as_="admin", meeting=community["id"])
    assert on_community["status"] == "ESCALATED"
    other_b = await report(api, as_="resident_b", compound="b")
    wrong = await mutate(
        api,
        "escalateIssue",
        {"id": other_b["id"], "reason": "x", "meeting": of_a["id"]},
        as_="admin",
    )
    assert wrong.codes == ["BAD_USER_INPUT"]
    assert "held by the issue's compound or its community" in wrong.errors[0]["message"]
    assert (await row(api, other_b["id"])).status == "REPORTED"
    # The secretary of A may not host at the community level.
    refused = await mutate(
        api,
        "scheduleJointMeeting",
        {"organisation": await org(api, COMMUNITY), "title": "社區會議", "scheduledFor": WHEN},
        as_="secretary",
        selection="id",
    )
    assert refused.codes == ["FORBIDDEN"]


async def test_a_decision_sends_the_issue_back_into_work(api: Api) -> None:
    issue = await issue_in(api, "ESCALATED")  # escalated straight from REPORTED: nobody holds it
    other = await escalate(api, (await issue_in(api, "CLAIMED"))["id"])  # held by the committee
    meeting = await _schedule(api, agenda=[issue["id"], other["id"]])
    department = await org(api, DEPARTMENT)
    seq = await last_seq(api)

    result = await _decide(
        api,
        meeting["id"],
        issue["id"],
        assignee=department,
        minutes="會議紀要",
        expectedVersion=issue["version"],
    )

    decided = result.ok()["recordMeetingDecision"]
    assert decided["status"] == "IN_PROGRESS"
    assert decided["version"] == issue["version"] + 1
    assert decided["allowedNextStatuses"] == ["RESOLVED", "ESCALATED"]
    stored = await row(api, issue["id"])
    assert stored.assignee_organisation_id == decode_id(department, "Organisation")
    # Taken on for the first time by the meeting's decision.
    assert stored.claimed_at is not None and stored.claim_seconds is not None
    last = (await timeline(api, issue["id"]))[-1]
    assert (last["kind"], last["fromStatus"], last["toStatus"], last["body"]) == (
        "DECISION",
        "ESCALATED",
        "IN_PROGRESS",
        "由住建局牽頭加裝電梯",
    )
    assert last["meeting"] == {"id": meeting["id"]}
    assert last["actorOrganisation"]["id"] == api.ids["compound_a"]

    held = await _meeting(api, meeting["id"], as_="secretary")
    assert (held["status"], held["version"], held["minutes"]) == ("HELD", 2, "會議紀要")
    by_issue = {a["issue"]["id"]: a for a in held["agenda"]}
    assert by_issue[issue["id"]]["decision"] == "由住建局牽頭加裝電梯"
    assert by_issue[issue["id"]]["decidedAt"] is not None
    assert by_issue[issue["id"]]["issue"]["status"] == "IN_PROGRESS"
    assert by_issue[other["id"]]["decision"] is None
    item = next(
        i for i in await _items(api, meeting["id"]) if i.issue_id == decode_id(issue["id"], "Issue")
    )
    assert item.decided_by_id == await person_id(api, "secretary")

    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.resource_type, entry.resource_id) == (
        "recordMeetingDecision",
        "SUCCESS",
        "issue",
        str(decode_id(issue["id"], "Issue")),
    )
    fields = {c["field"] for c in entry.changes}
    assert {"status", "decision", "assignee_organisation_id", "minutes"} <= fields

    # The other item is still open for a decision on the held meeting; its holder keeps it.
    kept = _decide_ok(await _decide(api, meeting["id"], other["id"]))
    assert (kept["status"], kept["assignee"]["id"]) == ("IN_PROGRESS", await org(api, COMMITTEE_A))
    assert (await resolve(api, issue["id"]))["status"] == "RESOLVED"


def _decide_ok(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = result.ok()["recordMeetingDecision"]
    return data


async def test_a_second_decision_on_the_same_item_is_a_conflict(api: Api) -> None:
    issue = await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, agenda=[issue["id"]])
    _decide_ok(await _decide(api, meeting["id"], issue["id"], assignee=await org(api, COMMITTEE_A)))
    # Escalated again: the old item still carries its decision.
    await escalate(api, issue["id"])
    before_row = (await row(api, issue["id"])).model_dump()
    before_events = len(await events(api, issue["id"]))
    before_items = [i.model_dump() for i in await _items(api, meeting["id"])]
    seq = await last_seq(api)

    again = await _decide(
        api, meeting["id"], issue["id"], decision="另一個決定", assignee=await org(api, FIRM_A)
    )

    assert again.codes == ["CONFLICT"]
    assert "already recorded" in again.errors[0]["message"]
    assert (await row(api, issue["id"])).model_dump() == before_row
    assert len(await events(api, issue["id"])) == before_events
    assert [i.model_dump() for i in await _items(api, meeting["id"])] == before_items
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.error_code, entry.changes) == (
        "recordMeetingDecision",
        "REJECTED",
        "CONFLICT",
        [],
    )


async def test_an_issue_not_on_the_agenda_is_not_found(api: Api) -> None:
    on_agenda = await issue_in(api, "ESCALATED")
    elsewhere = await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, agenda=[on_agenda["id"]])
    result = await _decide(api, meeting["id"], elsewhere["id"])
    assert result.codes == ["NOT_FOUND"]
    assert (await row(api, elsewhere["id"])).status == "ESCALATED"
    assert (await _meeting(api, meeting["id"]))["status"] == "SCHEDULED"


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        ({"expectedVersion": 1}, "CONFLICT", "changed by someone else"),
        ({"decision": " "}, "BAD_USER_INPUT", "decision must not be empty"),
        ({"assignee": None}, "BAD_USER_INPUT", "name the assignee"),
        ({"assignee": "COMMITTEE_B"}, "BAD_USER_INPUT", "cannot take this issue"),
        ({"meeting": "LATER"}, "BAD_USER_INPUT", "recorded once it has met"),
    ],
)
async def test_a_refused_decision_changes_nothing(
    api: Api, extra: dict[str, Any], code: str, message: str
) -> None:
    issue = await issue_in(api, "ESCALATED")  # version 2, held by nobody
    extra = dict(extra)
    when = LATER if extra.pop("meeting", None) == "LATER" else WHEN
    meeting = await _schedule(api, agenda=[issue["id"]], when=when)
    assignee = extra.pop("assignee", await org(api, FIRM_A))
    if assignee == "COMMITTEE_B":
        assignee = await org(api, COMMITTEE_B)
    if assignee is not None:
        extra["assignee"] = assignee
    seq = await last_seq(api)
    result = await _decide(api, meeting["id"], issue["id"], **extra)
    assert result.codes == [code]
    assert message in result.errors[0]["message"]
    stored = await row(api, issue["id"])
    assert (stored.status, stored.version, stored.assignee_organisation_id) == (
        "ESCALATED",
        2,
        None,
    )
    assert (await _meeting(api, meeting["id"]))["status"] == "SCHEDULED"
    assert all(i.decided_at is None for i in await _items(api, meeting["id"]))
    (entry,) = await entries_since(api, seq)
    assert (entry.outcome, entry.error_code, entry.changes) == ("REJECTED", code, [])


@pytest.mark.parametrize(
    ("who", "schedule_code", "decide_code"),
    [
        ("committee_member", "FORBIDDEN", "FORBIDDEN"),
        ("resident", "FORBIDDEN", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN", "FORBIDDEN"),
        ("property_firm", "FORBIDDEN", "NOT_FOUND"),  # sees the compound, not its meetings
        ("resident_b", "NOT_FOUND", "NOT_FOUND"),
    ],
)
async def test_only_the_secretary_schedules_and_decides(
    api: Api, who: str, schedule_code: str, decide_code: str
) -> None:
    issue = await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, agenda=[issue["id"]])
    before = await _snapshot(api)
    before_row = (await row(api, issue["id"])).model_dump()
    before_items = [i.model_dump() for i in await _items(api, meeting["id"])]
    seq = await last_seq(api)

    scheduled = await mutate(
        api,
        "scheduleJointMeeting",
        {
            "organisation": api.ids["compound_a"],
            "title": "會議",
            "scheduledFor": WHEN,
            "agenda": [issue["id"]],
        },
        as_=who,
        selection="id",
    )
    decided = await _decide(api, meeting["id"], issue["id"], as_=who)

    assert scheduled.codes == [schedule_code]
    assert decided.codes == [decide_code]
    assert await _snapshot(api) == before
    assert (await row(api, issue["id"])).model_dump() == before_row
    assert [i.model_dump() for i in await _items(api, meeting["id"])] == before_items
    entries = await entries_since(api, seq)
    assert [(e.operation, e.error_code) for e in entries] == [
        ("scheduleJointMeeting", schedule_code),
        ("recordMeetingDecision", decide_code),
    ]
    for entry in entries:
        # Out-of-scope records answer NOT_FOUND but are audited as denials.
        assert entry.outcome == (
            "DENIED" if entry.error_code in ("FORBIDDEN", "NOT_FOUND") else "REJECTED"
        )
        assert entry.actor_person_id == await person_id(api, who)
        assert entry.changes == []
