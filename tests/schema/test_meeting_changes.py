"""The seams of joint meetings: a decision sets a new due time; a scheduled meeting is
cancelled, moved or has an issue taken off its agenda; an empty meeting is cancelled, not held;
a meeting's history is its auditTrail."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from db.models import Issue, IssueEvent, JointMeeting, JointMeetingItem, JointMeetingParticipant
from db.types import utcnow
from resolvers.issues import sla
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import (
    COMMITTEE_A,
    FIRM_A,
    entries_since,
    escalate,
    issue_in,
    last_seq,
    ok,
    org,
    row,
)
from tests.mutation_cases import assert_refused

MEETING = "id status scheduledFor version agenda { issue { id status } }"
ISSUE = "id status dueAt overdue"
WHEN = "2026-01-10T10:00:00+08:00"  # has met
LATER = "2099-01-10T10:00:00+08:00"  # still to meet
TABLES = (JointMeeting, JointMeetingItem, JointMeetingParticipant, Issue, IssueEvent)


async def _ok(api: Api, name: str, input: dict[str, Any], selection: str) -> dict[str, Any]:
    return await ok(api, name, input, as_="secretary", selection=selection)


async def _schedule(api: Api, agenda: list[str], when: str = LATER) -> dict[str, Any]:
    input = {
        "organisation": api.ids["compound_a"],
        "title": "繼光花苑聯席會議",
        "scheduledFor": when,
        "participants": [await org(api, COMMITTEE_A)],
        "agenda": agenda,
    }
    return await _ok(api, "scheduleJointMeeting", input, selection=MEETING)


async def _overdue_escalated(api: Api) -> dict[str, Any]:
    issue = await issue_in(api, "ESCALATED")
    async with api.db.write() as session:
        await session.execute(
            sa.update(Issue)
            .where(Issue.id == decode_id(issue["id"], "Issue"))
            .values(due_at=utcnow() - timedelta(days=3))
        )
    return issue


def _decision(meeting: str, issue: str, **extra: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "issue": issue,
        "decision": "由物業限期整改",
        "assignee": extra.pop("assignee"),
        **extra,
    }


async def test_a_decision_gives_the_issue_a_new_due_time_from_the_sla(api: Api) -> None:
    issue = await _overdue_escalated(api)
    meeting = await _schedule(api, [issue["id"]], when=WHEN)
    stored = await row(api, issue["id"])
    seq = await last_seq(api)
    before = utcnow()

    decided = await _ok(
        api,
        "recordMeetingDecision",
        _decision(meeting["id"], issue["id"], assignee=await org(api, FIRM_A)),
        selection=ISSUE,
    )

    allowed = sla.allowed_time(stored.priority, stored.category)
    due = datetime.fromisoformat(decided["dueAt"])
    assert before + allowed <= due <= utcnow() + allowed
    assert (decided["status"], decided["overdue"]) == ("IN_PROGRESS", False)
    (entry,) = await entries_since(api, seq)
    change = next(c for c in entry.changes if c["field"] == "due_at")
    assert datetime.fromisoformat(change["before"]) == stored.due_at
    assert datetime.fromisoformat(change["after"]) == due


async def test_a_decision_sets_the_due_time_the_meeting_gave(api: Api) -> None:
    issue = await _overdue_escalated(api)
    meeting = await _schedule(api, [issue["id"]], when=WHEN)
    decided = await _ok(
        api,
        "recordMeetingDecision",
        _decision(
            meeting["id"],
            issue["id"],
            assignee=await org(api, FIRM_A),
            dueAt="2099-03-01T18:00:00+08:00",
        ),
        selection=ISSUE,
    )
    assert decided["dueAt"] == "2099-03-01T10:00:00+00:00"
    assert decided["overdue"] is False


async def test_a_due_time_before_the_decision_is_refused(api: Api) -> None:
    issue = await _overdue_escalated(api)
    meeting = await _schedule(api, [issue["id"]], when=WHEN)
    result = await assert_refused(
        api,
        "recordMeetingDecision",
        _decision(meeting["id"], issue["id"], assignee=await org(api, FIRM_A), dueAt=WHEN),
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    assert "after the decision" in result.errors[0]["message"]


async def test_a_cancelled_meeting_takes_no_decisions_and_its_issues_stay_escalated(
    api: Api,
) -> None:
    issue = await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, [issue["id"]], when=WHEN)
    seq = await last_seq(api)

    cancelled = await _ok(
        api,
        "cancelJointMeeting",
        {"id": meeting["id"], "reason": "問題已由物業解決", "expectedVersion": 1},
        selection=MEETING,
    )

    assert (cancelled["status"], cancelled["version"]) == ("CANCELLED", 2)
    assert cancelled["agenda"] == [{"issue": {"id": issue["id"], "status": "ESCALATED"}}]
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.resource_type) == ("cancelJointMeeting", "meeting")
    assert {"field": "reason", "before": None, "after": "問題已由物業解決"} in entry.changes
    decide = _decision(meeting["id"], issue["id"], assignee=await org(api, FIRM_A))
    refused = await assert_refused(
        api, "recordMeetingDecision", decide, as_="secretary", code="BAD_USER_INPUT", tables=TABLES
    )
    assert "cancelled" in refused.errors[0]["message"]
    # Its issue goes on another meeting.
    again = await _schedule(api, [issue["id"]])
    assert again["agenda"] == [{"issue": {"id": issue["id"], "status": "ESCALATED"}}]


async def test_an_empty_meeting_cannot_be_decided_but_is_cancelled(api: Api) -> None:
    issue = await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, [], when=WHEN)
    decide = _decision(meeting["id"], issue["id"], assignee=await org(api, FIRM_A))
    refused = await assert_refused(
        api, "recordMeetingDecision", decide, as_="secretary", code="BAD_USER_INPUT", tables=TABLES
    )
    assert "nothing on its agenda" in refused.errors[0]["message"]
    cancel = {"id": meeting["id"], "reason": "無議題"}
    assert (await _ok(api, "cancelJointMeeting", cancel, selection=MEETING))["status"] == (
        "CANCELLED"
    )


async def test_a_meeting_is_rescheduled_while_scheduled(api: Api) -> None:
    meeting = await _schedule(api, [])
    moved = await _ok(
        api,
        "rescheduleJointMeeting",
        {"id": meeting["id"], "scheduledFor": "2099-01-17T09:30:00+08:00", "expectedVersion": 1},
        selection=MEETING,
    )
    assert (moved["scheduledFor"], moved["version"]) == ("2099-01-17T01:30:00+00:00", 2)
    stale = {"id": meeting["id"], "scheduledFor": LATER, "expectedVersion": 1}
    await assert_refused(
        api, "rescheduleJointMeeting", stale, as_="secretary", code="CONFLICT", tables=TABLES
    )


async def test_an_issue_is_taken_off_the_agenda_and_stays_escalated(api: Api) -> None:
    kept, removed = await issue_in(api, "ESCALATED"), await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, [kept["id"], removed["id"]])
    seq = await last_seq(api)

    changed = await _ok(
        api,
        "removeMeetingAgendaItem",
        {"meeting": meeting["id"], "issue": removed["id"]},
        selection=MEETING,
    )

    assert changed["agenda"] == [{"issue": {"id": kept["id"], "status": "ESCALATED"}}]
    assert changed["version"] == 2
    assert (await row(api, removed["id"])).status == "ESCALATED"
    (entry,) = await entries_since(api, seq)
    ids = sorted(decode_id(i["id"], "Issue") for i in (kept, removed))
    assert {
        "field": "agenda",
        "before": ids,
        "after": [decode_id(kept["id"], "Issue")],
    } in entry.changes
    again = {"meeting": meeting["id"], "issue": removed["id"]}
    await assert_refused(
        api,
        "removeMeetingAgendaItem",
        again,
        as_="secretary",
        code="NOT_FOUND",
        tables=TABLES,
        outcome="REJECTED",
    )


@pytest.mark.parametrize(
    ("operation", "input"),
    [
        ("cancelJointMeeting", {"reason": "改期"}),
        ("rescheduleJointMeeting", {"scheduledFor": LATER}),
        ("removeMeetingAgendaItem", {}),
    ],
)
async def test_a_held_meeting_does_not_change(
    api: Api, operation: str, input: dict[str, Any]
) -> None:
    issue = await issue_in(api, "ESCALATED")
    other = await escalate(api, (await issue_in(api, "CLAIMED"))["id"])
    meeting = await _schedule(api, [issue["id"], other["id"]], when=WHEN)
    decide = _decision(meeting["id"], issue["id"], assignee=await org(api, FIRM_A))
    await _ok(api, "recordMeetingDecision", decide, selection="id")
    if operation == "removeMeetingAgendaItem":
        input = {"meeting": meeting["id"], "issue": other["id"]}
    else:
        input = {"id": meeting["id"], **input}
    result = await assert_refused(
        api, operation, input, as_="secretary", code="BAD_USER_INPUT", tables=TABLES
    )
    assert "held" in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("committee_member", "FORBIDDEN"),
        ("supervisor", "FORBIDDEN"),
        ("property_firm", "NOT_FOUND"),  # sees the compound, not its meetings
        ("resident_b", "NOT_FOUND"),
    ],
)
async def test_only_the_secretary_changes_a_meeting(api: Api, who: str, code: str) -> None:
    issue = await issue_in(api, "ESCALATED")
    meeting = await _schedule(api, [issue["id"]])
    for operation, input in (
        ("cancelJointMeeting", {"id": meeting["id"], "reason": "改期"}),
        ("rescheduleJointMeeting", {"id": meeting["id"], "scheduledFor": WHEN}),
        ("removeMeetingAgendaItem", {"meeting": meeting["id"], "issue": issue["id"]}),
    ):
        await assert_refused(api, operation, input, as_=who, code=code, tables=TABLES)


async def test_a_meetings_audit_trail_is_its_history(api: Api) -> None:
    meeting = await _schedule(api, [])
    await _ok(
        api, "rescheduleJointMeeting", {"id": meeting["id"], "scheduledFor": WHEN}, selection="id"
    )
    await _ok(api, "cancelJointMeeting", {"id": meeting["id"], "reason": "無議題"}, selection="id")
    query = (
        "query ($id: ID!) { node(id: $id) { ... on JointMeeting "
        "{ auditTrail { edges { node { operation } } } } } }"
    )

    async def trail(as_: str) -> list[str]:
        node = (await api.run(query, {"id": meeting["id"]}, as_=as_)).ok()["node"]
        return [e["node"]["operation"] for e in node["auditTrail"]["edges"]]

    assert await trail("secretary") == [
        "cancelJointMeeting",
        "rescheduleJointMeeting",
        "scheduleJointMeeting",
    ]
    assert await trail("resident") == []  # reads the meeting, not the audit log


async def test_a_cancellation_needs_a_reason(api: Api) -> None:
    meeting = await _schedule(api, [])
    cancel = {"id": meeting["id"], "reason": " "}
    result = await assert_refused(
        api, "cancelJointMeeting", cancel, as_="secretary", code="BAD_USER_INPUT", tables=TABLES
    )
    assert "reason" in result.errors[0]["message"]
