"""kill -9 during a burst of announced mutations: every change that committed has its
audit entry and its outbox event, and nothing else does; no event without its change."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
import psutil
import sqlalchemy as sa
from sqlmodel import col

from db.audit_store import verify_chain
from db.models import AuditEntry, AuditOutcome, Issue, IssueEvent, IssueEventKind, OutboxEvent
from tests.app.processes import app_env, free_ports, running, uvicorn_command, wait_ready
from tests.helpers import ENGLISH, Api

WRITERS = 6
REPORT = "mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id version } }"
COMMENT = "mutation ($i: CommentOnIssueInput!) { commentOnIssue(input: $i) { id version } }"
ANNOUNCED = {"reportIssue": "issue.reported", "commentOnIssue": "issue.commented"}


async def test_kill_9_leaves_each_change_with_its_event_or_neither(
    committed: Api, database_url: str
) -> None:
    api = committed
    start_seq = int(await api.scalar(sa.select(sa.func.max(AuditEntry.seq))))
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    run = uuid.uuid4().hex[:8]
    headers = {"Authorization": f"Bearer {api.tokens['resident']}"}
    answered = 0

    async def writer(n: int) -> None:
        nonlocal answered
        async with httpx.AsyncClient(headers=ENGLISH, timeout=30) as client:
            for k in range(10_000):
                report = {
                    "compound": api.ids["compound_a"],
                    "channel": "HOTLINE",
                    "category": "OTHER",
                    "title": f"kill {run} {n} {k}",
                }
                try:
                    body = {"query": REPORT, "variables": {"i": report}}
                    issue = (await client.post(f"{url}/graphql", json=body, headers=headers)).json()
                    made = issue["data"]["reportIssue"]
                    comment = {"id": made["id"], "body": "還在漏水"}
                    body = {"query": COMMENT, "variables": {"i": comment}}
                    await client.post(f"{url}/graphql", json=body, headers=headers)
                    answered += 1
                except httpx.TransportError:
                    return  # the process is gone

    with running([uvicorn_command(port)], app_env(database_url)) as (pid,):
        await wait_ready(url)
        writers = [asyncio.ensure_future(writer(n)) for n in range(WRITERS)]
        await asyncio.sleep(2.0)
        psutil.Process(pid).kill()
        await asyncio.wait_for(asyncio.gather(*writers), timeout=60)
    assert answered > 0

    async with api.db.read_sessions() as session:
        _, broken = await verify_chain(session)
        entries = (
            await session.execute(
                sa.select(AuditEntry.seq, AuditEntry.operation, AuditEntry.resource_id).where(
                    col(AuditEntry.seq) > start_seq,
                    col(AuditEntry.outcome) == AuditOutcome.SUCCESS,
                    col(AuditEntry.operation).in_(list(ANNOUNCED)),
                )
            )
        ).all()
        events = (
            await session.execute(
                sa.select(OutboxEvent.audit_seq, OutboxEvent.kind, OutboxEvent.resource_id).where(
                    col(OutboxEvent.audit_seq) > start_seq
                )
            )
        ).all()
        ours = sa.select(Issue.id).where(col(Issue.title).startswith(f"kill {run} "))
        issues = {str(i) for i in (await session.execute(ours)).scalars()}
        comments = Counter(
            str(i)
            for i in (
                await session.execute(
                    sa.select(IssueEvent.issue_id).where(
                        col(IssueEvent.issue_id).in_(ours),
                        col(IssueEvent.kind) == IssueEventKind.COMMENT,
                    )
                )
            ).scalars()
        )
    assert broken is None
    # Each committed change: one SUCCESS entry and exactly one event of its kind, and back.
    assert sorted(events) == sorted((s, ANNOUNCED[op], r) for s, op, r in entries)
    reported = {r for _, kind, r in events if kind == "issue.reported"}
    assert reported == issues and len(issues) >= answered
    commented = Counter(r for _, kind, r in events if kind == "issue.commented")
    assert commented == comments
