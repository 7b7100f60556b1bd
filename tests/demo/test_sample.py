"""The demo city, built through the API's own operations, keeps every rule a city must keep,
and each of its changes is in the audit log as the operation that made it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.models import AuditEntry, AuditOutcome, Issue, IssueEvent
from demo.sample.build import REQUEST_ID
from tests.demo.invariants import all_breaks
from tests.helpers import Api


async def _all(api: Api, statement: Any) -> list[Any]:
    async with api.db.read_sessions() as session:
        return list((await session.execute(statement)).all())


async def test_the_demo_keeps_every_rule(api: Api) -> None:
    async with api.db.read_sessions() as session:
        assert await all_breaks(session) == {}


async def test_the_demo_load_is_audited_operations_that_all_succeeded(api: Api) -> None:
    entries = [
        row[0]
        for row in await _all(
            api,
            sa.select(AuditEntry)
            .where(AuditEntry.request_id == REQUEST_ID)
            .order_by(AuditEntry.seq),
        )
    ]
    # The operator's seedDemo entry opens the log; the load's operations follow it.
    first = (await _all(api, sa.select(AuditEntry).order_by(AuditEntry.seq).limit(1)))[0][0]
    assert (first.operation, first.role) == ("seedDemo", "operator")
    assert entries[0].seq == first.seq + 1
    assert {e.outcome for e in entries} == {AuditOutcome.SUCCESS}
    operations = {e.operation for e in entries}
    assert {
        "createOrganisation",
        "registerPerson",
        "appointPosition",
        "linkOrganisations",
        "reportIssue",
        "scheduleJointMeeting",
        "recordMeetingDecision",
        "openStation",
        "recordVolunteerService",
        "confirmVolunteerService",
        "redeemPoints",
        "publishServicePost",
        "recordPostFulfilment",
        "openEvaluation",
        "submitEvaluationScore",
        "closeEvaluation",
        "setFirmStanding",
        "commitProject",
        "completeProject",
    } <= operations, operations
    # The operator's own changes carry the admin role and no person; the rest are people's.
    for entry in entries:
        assert (entry.actor_person_id is None) == (entry.role == "admin"), entry.seq


async def test_every_step_of_a_demo_issue_is_one_audited_operation(api: Api) -> None:
    events = dict(
        await _all(
            api, sa.select(IssueEvent.issue_id, sa.func.count()).group_by(IssueEvent.issue_id)
        )
    )
    audited = dict(
        await _all(
            api,
            sa.select(AuditEntry.resource_id, sa.func.count())
            .where(AuditEntry.request_id == REQUEST_ID, AuditEntry.resource_type == "issue")
            .group_by(AuditEntry.resource_id),
        )
    )
    issues = [row[0] for row in await _all(api, sa.select(Issue.id))]
    assert issues
    assert {i: events[i] for i in issues} == {i: audited[str(i)] for i in issues}


async def test_an_interrupted_load_is_named_not_served_half_built(
    tmp_path: Any, monkeypatch: Any
) -> None:
    """The load commits operation by operation: one cut off half-way must not pass for the
    demo on the next start."""
    import pytest

    from app.cli import data
    from db import migrate
    from demo.sample import city

    url = f"sqlite+aiosqlite:///{tmp_path}/cut.db"
    migrate.upgrade(url)

    async def cut_off(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(city, "load_demo_lovebank", cut_off)
    with pytest.raises(KeyboardInterrupt):
        await data.seed_demo(url, "k" * 32)
    monkeypatch.undo()
    with pytest.raises(data.IncompleteDemo, match="only partly loaded"):
        await data.seed_demo(url, "k" * 32)
