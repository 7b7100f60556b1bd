"""The outbox: every change someone should hear of writes one event in its transaction,
linked to its SUCCESS audit entry, carrying ids and status values and where it lies."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from db.models import AuditEntry, OutboxEvent
from resolvers.outbox import EventKind
from schema.ids import decode_id
from tests.evaluation_helpers import close as close_evaluation
from tests.evaluation_helpers import open_new
from tests.helpers import Api
from tests.issue_helpers import (
    COMMITTEE_A,
    COMMUNITY,
    claim,
    close,
    issue_in,
    last_seq,
    mutate,
    ok,
    org,
    person_id,
    reopen,
    report,
    resolve,
    start,
)
from tests.lovebank_helpers import earn, resident_id, token_for
from tests.schema.test_meetings import _decide, _schedule
from tests.schema.test_mutation_declarations import _declarations


async def _events_since(api: Api, seq: int) -> list[OutboxEvent]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(OutboxEvent)
            .where(col(OutboxEvent.audit_seq) > seq)
            .order_by(col(OutboxEvent.id))
        )
        return list(rows.scalars().all())


async def _entry(api: Api, seq: int) -> AuditEntry:
    async with api.db.read_sessions() as session:
        entry = await session.get(AuditEntry, seq)
        assert entry is not None
        return entry


def test_every_kind_is_announced_and_every_announcement_is_a_kind() -> None:
    announced: set[EventKind] = set()
    for specs in _declarations().values():
        for spec in specs:
            if isinstance(spec.announces, EventKind):
                announced.add(spec.announces)
            elif spec.announces is not None:
                announced.update(spec.announces.values())
    # Not declared: a sweep (time-driven) and the webhook dispatcher emit their own.
    emitted = {EventKind.TOKEN_EXPIRING, EventKind.WEBHOOK_DISABLED}
    assert announced == set(EventKind) - emitted


async def test_an_issue_walked_through_its_life_announces_each_step(api: Api) -> None:
    seq = await last_seq(api)
    issue = await report(api)
    for step in (claim, start, resolve, reopen, start, resolve, close):
        issue = await step(api, issue["id"])
    await ok(api, "commentOnIssue", {"id": issue["id"], "body": "謝謝"}, as_="resident")

    events = await _events_since(api, seq)
    assert [e.kind for e in events] == [
        "issue.reported",
        "issue.claimed",
        "issue.started",
        "issue.resolved",
        "issue.reopened",
        "issue.started",
        "issue.resolved",
        "issue.closed",
        "issue.commented",
    ]
    issue_id = decode_id(issue["id"], "Issue")
    compound = api.compound("a")
    assert {(e.resource_type, e.resource_id, e.compound_id) for e in events} == {
        ("issue", str(issue_id), compound)
    }
    assert all(
        e.organisation_path and e.organisation_path.endswith(f"/{compound}/") for e in events
    )
    assert [e.audit_seq for e in events] == sorted({e.audit_seq for e in events})
    for event in events:
        entry = await _entry(api, event.audit_seq)
        assert (entry.outcome, entry.resource_id) == ("SUCCESS", str(issue_id))
        assert event.occurred_at == entry.occurred_at
    claimed = events[1].payload
    committee = decode_id(await org(api, COMMITTEE_A), "Organisation")
    assert claimed["changes"]["status"] == {"before": "REPORTED", "after": "CLAIMED"}
    assert claimed["changes"]["assignee_organisation_id"]["after"] == committee
    reporter = await person_id(api, "resident")
    assert events[0].payload["issue"]["reporter_id"] == reporter
    assert events[-1].payload["actor"]["person_id"] == reporter
    assert events[-1].payload["changes"]["timeline"]["after"] == "COMMENT"


async def test_events_carry_ids_and_status_values_never_text(api: Api) -> None:
    seq = await last_seq(api)
    issue = await report(api, description="我家電話 13800000000")
    await ok(api, "commentOnIssue", {"id": issue["id"], "body": "私人留言"}, as_="resident")
    for event in await _events_since(api, seq):
        text = str(event.payload)
        assert "13800000000" not in text and "私人留言" not in text
        assert issue["title"] not in text


async def test_a_refused_change_announces_nothing(api: Api) -> None:
    issue = await issue_in(api, "CLOSED")
    seq = await last_seq(api)
    result = await mutate(api, "startIssue", {"id": issue["id"]}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    denied = await mutate(
        api,
        "claimIssue",
        {"id": issue["id"], "organisation": await org(api, COMMITTEE_A)},
        as_="resident_b",
    )
    assert denied.codes
    assert await _events_since(api, seq) == []
    assert await last_seq(api) > seq  # the attempts were audited all the same


async def test_a_community_meeting_decision_lies_in_the_issue_compound(api: Api) -> None:
    issue = await issue_in(api, "ESCALATED")
    seq = await last_seq(api)
    meeting = await _schedule(
        api, agenda=[issue["id"]], host=await org(api, COMMUNITY), as_="admin"
    )
    decided = await _decide(
        api, meeting["id"], issue["id"], as_="admin", assignee=await org(api, COMMITTEE_A)
    )
    decided.ok()
    scheduled, event = await _events_since(api, seq)
    community = decode_id(await org(api, COMMUNITY), "Organisation")
    assert (scheduled.kind, scheduled.resource_type, scheduled.compound_id) == (
        "meeting.scheduled",
        "meeting",
        None,
    )
    assert scheduled.organisation_path and scheduled.organisation_path.endswith(f"/{community}/")
    assert event.kind == "meeting.decided"
    assert (event.resource_type, event.compound_id) == ("issue", api.compound("a"))
    assert event.payload["ids"]["meeting_id"] == decode_id(meeting["id"], "JointMeeting")
    assert event.payload["issue"]["status"] == "IN_PROGRESS"


async def test_evaluations_announce_opening_and_closing(api: Api) -> None:
    seq = await last_seq(api)
    opened = await open_new(api)
    await close_evaluation(api, opened)
    events = await _events_since(api, seq)
    evaluation = str(decode_id(opened["id"], "Evaluation"))
    assert [(e.kind, e.resource_id, e.compound_id) for e in events] == [
        ("evaluation.opened", evaluation, api.compound("a")),
        ("evaluation.closed", evaluation, api.compound("a")),
    ]
    assert events[1].payload["changes"]["status"] == {"before": "OPEN", "after": "CLOSED"}


async def test_volunteer_service_announces_recording_and_confirmation(api: Api) -> None:
    volunteer = await resident_id(api, "a", 2)
    seq = await last_seq(api)
    confirmed = await earn(api, await token_for(api, volunteer), volunteer, 1.0)
    events = await _events_since(api, seq)
    service = str(decode_id(confirmed["id"], "VolunteerService"))
    assert [(e.kind, e.resource_id, e.compound_id) for e in events] == [
        ("volunteer_service.recorded", service, api.compound("a")),
        ("volunteer_service.confirmed", service, api.compound("a")),
    ]
    assert events[0].payload["ids"]["volunteer_id"] == volunteer
    assert events[1].payload["actor"]["person_id"] == volunteer
    assert events[1].payload["changes"]["status"]["after"] == "CONFIRMED"
