"""Triage: the compound's branch and committees correct the priority and/or category a
reporter chose; the due time follows the SLA, the timeline says what changed and why, in the
reader's language; nobody else may, and a closed issue keeps what it ended with."""

from __future__ import annotations

from typing import Any

import pytest

from db.models import Issue, IssueCategory, IssueEvent, IssuePriority
from resolvers.issues import sla
from tests.helpers import Api
from tests.issue_helpers import (
    COMMITTEE_A,
    entries_since,
    events,
    issue_in,
    last_seq,
    ok,
    org,
    report,
    row,
)
from tests.mutation_cases import assert_refused

ISSUE = "id priority category dueAt version overdue"
EVENT = """
query ($id: ID!) { node(id: $id) { ... on Issue { timeline(first: 20) { edges { node {
  kind body fromPriority toPriority fromCategory toCategory fromDueAt toDueAt summary
  actor { id } } } } } } }
"""
TABLES = (Issue, IssueEvent)
LATER = "2099-01-10T10:00:00+08:00"


async def _triage(api: Api, input: dict[str, Any], as_: str = "secretary") -> dict[str, Any]:
    return await ok(api, "triageIssue", input, as_=as_, selection=ISSUE)


async def _last_event(api: Api, issue: str, locale: str = "en") -> dict[str, Any]:
    api.locale = locale
    try:
        result = await api.run(EVENT, {"id": issue}, as_="secretary")
    finally:
        api.locale = "en"
    edges = result.ok()["node"]["timeline"]["edges"]
    node: dict[str, Any] = edges[-1]["node"]
    return node


async def test_the_secretary_raises_the_priority_and_the_due_time_follows(api: Api) -> None:
    issue = await report(api, category="PARKING")
    before = await row(api, issue["id"])
    seq = await last_seq(api)

    after = await _triage(
        api,
        {
            "id": issue["id"],
            "priority": "URGENT",
            "reason": "消防通道被堵，影響安全",
            "expectedVersion": issue["version"],
        },
    )

    assert (after["priority"], after["category"]) == ("URGENT", "PARKING")
    assert after["version"] == issue["version"] + 1
    stored = await row(api, issue["id"])
    expected = before.created_at + sla.allowed_time(IssuePriority.URGENT, IssueCategory.PARKING)
    assert stored.due_at == expected
    assert stored.priority_rank == 4
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.outcome, entry.role) == ("triageIssue", "SUCCESS", "secretary")
    changed = {c["field"]: (c["before"], c["after"]) for c in entry.changes}
    assert changed["priority"] == ("NORMAL", "URGENT")
    assert "due_at" in changed and "category" not in changed
    event = await _last_event(api, issue["id"])
    assert event["kind"] == "TRIAGE"
    assert event["body"] == "消防通道被堵，影響安全"
    assert (event["fromPriority"], event["toPriority"]) == ("NORMAL", "URGENT")
    assert (event["fromCategory"], event["toCategory"]) == ("PARKING", "PARKING")
    assert event["summary"].startswith("Priority NORMAL → URGENT; due ")


async def test_a_category_correction_says_so_in_three_languages(api: Api) -> None:
    issue = await report(api, category="OTHER")
    await _triage(
        api,
        {"id": issue["id"], "category": "SAFETY", "priority": "HIGH", "reason": "電線裸露"},
        as_="committee_member",
    )
    stored = await row(api, issue["id"])
    assert stored.due_at == stored.created_at + sla.allowed_time(
        IssuePriority.HIGH, IssueCategory.SAFETY
    )
    english = (await _last_event(api, issue["id"], "en"))["summary"]
    simplified = (await _last_event(api, issue["id"], "zh_Hans"))["summary"]
    traditional = (await _last_event(api, issue["id"], "zh_Hant"))["summary"]
    assert english.startswith("Priority NORMAL → HIGH, category OTHER → SAFETY; due ")
    assert simplified.startswith("优先级") and "安全" in simplified
    assert traditional.startswith("優先級") and "安全" in traditional


async def test_after_a_joint_meeting_the_due_time_counts_from_its_decision(api: Api) -> None:
    """The meeting sent the issue back into work with a deadline of its own; a correction
    counts the new allowed time from the decision, as the SLA does after a meeting."""
    from tests.schema.test_meetings import _decide, _schedule

    issue = await issue_in(api, "ESCALATED", category="PARKING")
    meeting = await _schedule(api, agenda=[issue["id"]])
    committee = await org(api, COMMITTEE_A)
    decided = (await _decide(api, meeting["id"], issue["id"], dueAt=LATER, assignee=committee)).ok()
    assert decided["recordMeetingDecision"]["status"] == "IN_PROGRESS"
    await _triage(api, {"id": issue["id"], "priority": "URGENT", "reason": "已影響消防通道"})
    decision = next(e for e in await events(api, issue["id"]) if e.kind.value == "DECISION")
    stored = await row(api, issue["id"])
    expected = decision.created_at + sla.allowed_time(IssuePriority.URGENT, IssueCategory.PARKING)
    assert stored.due_at == expected


@pytest.mark.parametrize("as_", ["resident", "property_firm", "supervisor", "secretary_b"])
async def test_others_are_refused_audited_and_nothing_changes(api: Api, as_: str) -> None:
    """The reporter (resident), the firm, the street and another compound's secretary."""
    issue = await report(api)
    code = "NOT_FOUND" if as_ in ("secretary_b", "property_firm") else "FORBIDDEN"
    await assert_refused(
        api,
        "triageIssue",
        {"id": issue["id"], "priority": "URGENT", "reason": "我覺得很急"},
        as_=as_,
        code=code,
        tables=TABLES,
    )


@pytest.mark.parametrize("status", ["CLOSED", "REJECTED", "DUPLICATE"])
async def test_a_finished_issue_is_refused_with_its_reason(api: Api, status: str) -> None:
    issue = await issue_in(api, status)
    result = await assert_refused(
        api,
        "triageIssue",
        {"id": issue["id"], "priority": "URGENT", "reason": "補記"},
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    extensions = result.errors[0]["extensions"]
    assert extensions["reason"] == "ISSUE_CLOSED"
    assert extensions["currentStatus"] == status


async def test_bad_input_is_refused(api: Api) -> None:
    issue = await issue_in(api, "CLAIMED")
    same = await assert_refused(
        api,
        "triageIssue",
        {"id": issue["id"], "priority": "NORMAL", "reason": "不變"},
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    assert same.errors[0]["extensions"]["reason"] == "NOTHING_TO_CHANGE"
    await assert_refused(
        api,
        "triageIssue",
        {"id": issue["id"], "priority": "URGENT", "reason": "   "},
        as_="secretary",
        code="BAD_USER_INPUT",
        tables=TABLES,
    )
    stale = await assert_refused(
        api,
        "triageIssue",
        {"id": issue["id"], "priority": "URGENT", "reason": "急", "expectedVersion": 1},
        as_="secretary",
        code="CONFLICT",
        tables=TABLES,
    )
    # current_version here; main names it currentVersion (and keeps current_version beside it).
    stale_extensions = stale.errors[0]["extensions"]
    current = stale_extensions.get("currentVersion", stale_extensions.get("current_version"))
    assert current == issue["version"]


async def test_the_change_is_announced(api: Api) -> None:
    from tests.schema.test_outbox_events import _events_since

    issue = await report(api)
    seq = await last_seq(api)
    await _triage(api, {"id": issue["id"], "category": "DRAINAGE", "reason": "實為排水問題"})
    assert [e.kind for e in await _events_since(api, seq)] == ["issue.triaged"]
