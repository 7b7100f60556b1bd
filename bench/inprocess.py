"""In-process measurements: GraphQL through the schema with a real context, against the same
work done by hand (SQL + json.dumps, or plain SQL writes), and latencies of scoped lists."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bench.issues_list import QUERY
from db.audit_store import append_entry
from db.engine import Database
from db.models import AuditEntry, AuditOutcome, IssueEvent, IssueEventKind
from db.types import utcnow
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.tokens.actors import ActorCache
from resolvers.tokens.bearer import authenticate
from schema.ids import decode_id
from schema.schema import schema

SECRET = "bench-secret-key-not-for-production"
# The actors a server process would keep between requests.
ACTORS = ActorCache()

# The 100-issue page of bench/issues_list.py.
PAGE = QUERY
# The same page written by hand: one statement, rows to dicts, json.dumps.
PAGE_SQL = sa.text(
    """
    SELECT i.id, i.title, i.status, i.due_at, r.name AS reporter, c.name AS compound,
           a.name AS assignee, e.kind AS event_kind, e.created_at AS event_at
    FROM issue i
    JOIN person r ON r.id = i.reporter_id
    JOIN organisation c ON c.id = i.compound_id
    LEFT JOIN organisation a ON a.id = i.assignee_organisation_id
    LEFT JOIN issue_event e
      ON e.id = (SELECT MAX(x.id) FROM issue_event x WHERE x.issue_id = i.id)
    WHERE i.compound_id = :compound
    ORDER BY i.created_at DESC, i.id DESC
    LIMIT 100
    """
)
LISTS = {
    "issues": "{ issues(first: 20) { edges { node { id title status } } } }",
    "people": "{ people(first: 20) { edges { node { id name } } } }",
    "positions": "{ positions(first: 20) { edges { node { id title } } } }",
    "auditLog": "{ auditLog(first: 20) { edges { node { id operation occurredAt } } } }",
}
LIST_ROLES = ("secretary", "committee_member", "property_firm", "resident", "supervisor", "partner")
COMMENT = """
mutation ($i: CommentOnIssueInput!) { commentOnIssue(input: $i) { id } }
"""


@dataclass(frozen=True)
class Latency:
    median_ms: float
    p95_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        ordered = sorted(seconds)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return cls(statistics.median(ordered) * 1000, p95 * 1000)


async def execute(
    db: Database,
    token: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    compiled: bool = True,
    splice: bool = False,
) -> dict[str, Any]:
    """One request as a client would make it: authenticate the token (keeping its actor
    as a server process does), then run QUERY; COMPILED lets compiled reads answer, SPLICE
    keeps their JSON as bytes (as the HTTP endpoint does)."""
    ctx = RequestContext(
        db=db,
        actor=ANONYMOUS,
        request_id="bench",
        secret_key=SECRET,
        compiled_reads=compiled,
        splice_json=splice,
    )
    try:
        ctx.actor = await authenticate(
            await ctx.reader(), token, key=SECRET, today=ctx.today, actors=ACTORS
        )
        result = await schema.execute(query, variable_values=variables, context_value=ctx)
    finally:
        await ctx.close()
    assert not result.errors, result.errors
    return result.data or {}


async def timed(runs: int, work: Callable[[], Awaitable[Any]]) -> list[float]:
    await work()  # warm caches and pools first
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        seconds.append(time.perf_counter() - started)
    return seconds


async def timed_pairs(
    runs: int, first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]]
) -> tuple[list[float], list[float]]:
    """FIRST and SECOND timed in turns (which goes first alternates), so that a load that
    comes and goes on a shared machine weighs on both alike and their ratio stays fair."""
    await first()
    await second()
    seconds: tuple[list[float], list[float]] = ([], [])
    for run in range(runs):
        order = (0, 1) if run % 2 == 0 else (1, 0)
        for which in order:
            work = first if which == 0 else second
            started = time.perf_counter()
            await work()
            seconds[which].append(time.perf_counter() - started)
    return seconds


async def list_latency(db: Database, token: str, query: str, runs: int) -> Latency:
    return Latency.of(await timed(runs, lambda: execute(db, token, query)))


async def page_by_hand(db: Database, compound_id: int) -> str:
    async with db.read_sessions() as session:
        rows = (await session.execute(PAGE_SQL, {"compound": compound_id})).mappings().all()
    edges = [
        {
            "node": {
                "id": row["id"],
                "title": row["title"],
                "status": row["status"],
                "dueAt": _iso(row["due_at"]),
                "reporter": {"name": row["reporter"]},
                "compound": {"name": row["compound"]},
                "assignee": {"name": row["assignee"]} if row["assignee"] else None,
                "lastEvent": {"kind": row["event_kind"], "createdAt": _iso(row["event_at"])},
            }
        }
        for row in rows
    ]
    return json.dumps({"data": {"issues": {"edges": edges}}})


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def page_through_graphql(db: Database, token: str, compound: str, compiled: bool) -> bytes:
    """The page as the endpoint answers it: executed, then encoded with orjson (which
    splices a compiled read's JSON)."""
    data = await execute(db, token, PAGE, {"c": compound}, compiled=compiled, splice=True)
    return orjson.dumps({"data": data})


async def comment_audited(db: Database, token: str, issue: str, n: int) -> None:
    await execute(db, token, COMMENT, {"i": {"id": issue, "body": f"bench comment {n}"}})


async def comment_by_hand(db: Database, person_id: int, issue: str, n: int) -> None:
    """The rows commentOnIssue writes (event, version, audit entry), with plain SQL."""
    issue_id = decode_id(issue, "Issue")
    async with db.write() as session:
        await _write_comment(session, person_id, issue_id, n)


async def _write_comment(session: AsyncSession, person_id: int, issue_id: int, n: int) -> None:
    now = utcnow()
    session.add(
        IssueEvent(
            issue_id=issue_id,
            kind=IssueEventKind.COMMENT,
            actor_person_id=person_id,
            body=f"bench comment {n}",
            created_at=now,
        )
    )
    await session.execute(
        sa.text("UPDATE issue SET version = version + 1, updated_at = :now WHERE id = :id"),
        {"now": now, "id": issue_id},
    )
    await append_entry(
        session,
        AuditEntry(  # type: ignore[call-arg]
            actor_person_id=person_id,
            operation="commentOnIssue",
            resource_type="issue",
            resource_id=str(issue_id),
            input={"issue_id": issue_id, "body": f"bench comment {n}"},
            changes=[],
            outcome=AuditOutcome.SUCCESS,
            prev_hash="",
            hash="",
        ),
    )
