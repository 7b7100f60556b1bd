"""Real concurrency on one issue: twenty requests at once, each on its own connections and in
committed transactions, all sending the same expectedVersion. Exactly one may win.

This cannot run in the rolled-back test transaction, so it commits, and removes its issues
afterwards (its audit entries stay: the log is append-only, and no test counts it absolutely).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
import structlog
import structlog.testing

from db.engine import Database, create_engine
from db.models import AuditEntry, Issue, IssueEvent, IssueEventKind
from resolvers.context import RequestContext
from schema.ids import decode_id
from schema.schema import schema
from tests.conftest import SECRET_KEY
from tests.helpers import Api, Result, gid, pool_options
from tests.issue_helpers import (
    BOARD_A,
    BRANCH_A,
    COMMITTEE_A,
    DEPARTMENT,
    FIRM_A,
    PARTNER,
    document,
    mutate,
    org_id,
    person_id,
    report,
)

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

CALLERS = 20
BODIES = [COMMITTEE_A, BRANCH_A, BOARD_A, FIRM_A, PARTNER, DEPARTMENT]
ROLES = ["secretary", "committee_member"]


async def test_twenty_simultaneous_claims_one_wins(committed: Api) -> None:
    api = committed
    issue = await report(api)
    issue_id = decode_id(issue["id"], "Issue")
    bodies = {await org_id(api, name): name for name in BODIES}
    people = {await person_id(api, role): role for role in ROLES}
    start_seq = int(await api.scalar(sa.select(sa.func.max(AuditEntry.seq))))

    # Claims for different bodies by different people, and a few starts, all at version 1.
    calls = []
    for n in range(CALLERS):
        who = ROLES[n % len(ROLES)]
        if n % 5 == 4:
            calls.append(
                mutate(api, "startIssue", {"id": issue["id"], "expectedVersion": 1}, as_=who)
            )
        else:
            body = gid("Organisation", list(bodies)[n % len(bodies)])
            input = {"id": issue["id"], "organisation": body, "expectedVersion": 1}
            calls.append(mutate(api, "claimIssue", input, as_=who))
    results = await asyncio.wait_for(asyncio.gather(*calls), timeout=60)

    winners = [r for r in results if not r.errors]
    assert len(winners) == 1, [r.codes for r in results]
    losers = [r for r in results if r.errors]
    assert all(r.codes in (["CONFLICT"], ["BAD_USER_INPUT"]) for r in losers), [
        r.errors for r in losers
    ]
    won = winners[0].data["claimIssue"]
    assert (won["status"], won["version"]) == ("CLAIMED", 2)

    # The issue moved once.
    async with api.db.read_sessions() as session:
        stored = await session.get(Issue, issue_id)
        assert stored is not None
        assert (stored.status, stored.version) == ("CLAIMED", 2)
        timeline = (
            (
                await session.execute(
                    sa.select(IssueEvent)
                    .where(IssueEvent.issue_id == issue_id)
                    .order_by(IssueEvent.id)
                )
            )
            .scalars()
            .all()
        )
        audit = (
            (
                await session.execute(
                    sa.select(AuditEntry)
                    .where(AuditEntry.seq > start_seq, AuditEntry.resource_id == str(issue_id))
                    .order_by(AuditEntry.seq)
                )
            )
            .scalars()
            .all()
        )
    assert [e.kind for e in timeline] == [IssueEventKind.REPORT, IssueEventKind.CLAIM]
    claim_event = timeline[1]
    assert claim_event.actor_organisation_id == stored.assignee_organisation_id
    assert (
        bodies[stored.assignee_organisation_id or 0] == won["assignee"]["name"]
        or won["assignee"] is None
    )

    # One audit entry per request, and the one success is the claim on the timeline.
    assert len(audit) == CALLERS
    assert Counter(e.outcome for e in audit) == {"SUCCESS": 1, "REJECTED": CALLERS - 1}
    (success,) = [e for e in audit if e.outcome == "SUCCESS"]
    assert success.operation == "claimIssue"
    assert success.actor_person_id == claim_event.actor_person_id
    assert people[success.actor_person_id or 0] in ROLES
    assert {"field": "status", "before": "REPORTED", "after": "CLAIMED"} in success.changes
    assert {
        "field": "assignee_organisation_id",
        "before": None,
        "after": stored.assignee_organisation_id,
    } in success.changes
    rejected = Counter((e.operation, e.error_code) for e in audit if e.outcome == "REJECTED")
    assert sum(rejected.values()) == CALLERS - 1
    assert set(rejected) <= {
        ("claimIssue", "CONFLICT"),
        ("startIssue", "CONFLICT"),
        ("startIssue", "BAD_USER_INPUT"),
    }
    assert all(e.changes == [] for e in audit if e.outcome == "REJECTED")
    # The chain stayed one chain: consecutive sequence numbers, each linked to the one before.
    async with api.db.read_sessions() as session:
        chain = (
            (
                await session.execute(
                    sa.select(AuditEntry).where(AuditEntry.seq > start_seq).order_by(AuditEntry.seq)
                )
            )
            .scalars()
            .all()
        )
    assert [e.seq for e in chain] == list(range(start_seq + 1, start_seq + 1 + len(chain)))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))


async def _execute(ctx: RequestContext, name: str, input: dict[str, Any]) -> Result:
    try:
        result = await schema.execute(
            document(name), variable_values={"input": input}, context_value=ctx
        )
    finally:
        await ctx.close()
    return Result(result.data, [e.formatted for e in result.errors or []], result.extensions or {})


async def test_as_many_concurrent_mutations_as_pooled_connections_do_not_deadlock(
    committed: Api, database_url: str, demo: dict[str, Any]
) -> None:
    """A request authenticates on a read connection and then writes on another: it must not
    keep the first while waiting for the second, or as many concurrent mutations as the pool
    has connections would each wait for the others until the pool times out."""
    issue = await report(committed)
    start_seq = int(await committed.scalar(sa.select(sa.func.max(AuditEntry.seq))))
    size = 3
    small = create_engine(
        database_url,
        pool=replace(pool_options(), size=size, max_overflow=0, timeout_seconds=0.5),
    )
    try:
        api = Api(
            db=Database.from_engine(small),
            tokens=demo["tokens"],
            ids=demo["ids"],
            secret_key=SECRET_KEY,
        )
        # Each request authenticated, as the endpoint does before running the query.
        contexts = [await api.context("secretary") for _ in range(size)]
        body = gid("Organisation", await org_id(committed, COMMITTEE_A))
        input = {"id": issue["id"], "organisation": body, "expectedVersion": 1}
        # Were they to fail INTERNAL, each would log a traceback: captured, not rendered.
        with structlog.testing.capture_logs():
            results = await asyncio.gather(
                *(_execute(ctx, "claimIssue", input) for ctx in contexts), return_exceptions=True
            )
    finally:
        await small.dispose()
    assert all(isinstance(r, Result) for r in results), results
    codes = sorted(str(r.codes) for r in results if isinstance(r, Result))
    assert codes == ["['CONFLICT']", "['CONFLICT']", "[]"]
    async with committed.db.read_sessions() as session:
        outcomes = (
            await session.execute(
                sa.select(AuditEntry.outcome).where(
                    AuditEntry.seq > start_seq,
                    AuditEntry.resource_id == str(decode_id(issue["id"], "Issue")),
                )
            )
        ).scalars()
        assert Counter(outcomes) == {"SUCCESS": 1, "REJECTED": size - 1}
