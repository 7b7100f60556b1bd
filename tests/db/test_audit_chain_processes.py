"""The hash chain under real load: two app processes on one database, sixteen writers at
once. The chain must neither fork nor skip, and every request leaves exactly one entry."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col

from db.audit_store import verify_chain
from db.models import AuditEntry, IssueEvent
from tests.app.processes import app_env, free_ports, running, uvicorn_command, wait_ready
from tests.helpers import ENGLISH, Api

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

WRITERS = 16
EACH = 3
# Reports touch no shared row, so nothing but the chain head serialises the writers.
REPORT = """mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id } }"""


@pytest.fixture
def servers(database_url: str) -> Iterator[list[str]]:
    """Two uvicorn processes serving the test database."""
    ports = free_ports(2)
    with running([uvicorn_command(port) for port in ports], app_env(database_url)):
        yield [f"http://127.0.0.1:{port}" for port in ports]


async def test_two_processes_sixteen_writers_one_unbroken_chain(
    committed: Api, servers: list[str]
) -> None:
    api = committed
    start_seq = int(await api.scalar(sa.select(sa.func.max(AuditEntry.seq))))
    for url in servers:
        await wait_ready(url)
    headers = {"Authorization": f"Bearer {api.tokens['resident']}"}
    compound = api.ids["compound_a"]

    async def writer(n: int) -> list[int]:
        statuses = []
        async with httpx.AsyncClient(headers=ENGLISH, timeout=60) as client:
            for k in range(EACH):
                url = servers[(n + k) % len(servers)]
                report = {
                    "compound": compound,
                    "channel": "HOTLINE",
                    "category": "OTHER",
                    "title": f"writer {n} report {k}",
                }
                body = {"query": REPORT, "variables": {"i": report}}
                response = await client.post(f"{url}/graphql", json=body, headers=headers)
                assert "errors" not in response.json(), response.json()
                statuses.append(response.status_code)
        return statuses

    results = await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    assert all(status == 200 for statuses in results for status in statuses)

    async with api.db.read_sessions() as session:
        checked, broken = await verify_chain(session)
        entries = (
            (
                await session.execute(
                    sa.select(AuditEntry)
                    .where(col(AuditEntry.seq) > start_seq)
                    .order_by(col(AuditEntry.seq))
                )
            )
            .scalars()
            .all()
        )
        reports = (
            await session.execute(
                sa.select(sa.func.count())
                .select_from(IssueEvent)
                .where(IssueEvent.kind == "REPORT", col(IssueEvent.body).startswith("writer "))
            )
        ).scalar_one()
    assert broken is None
    assert checked >= start_seq + WRITERS * EACH
    ours = [e for e in entries if e.operation == "reportIssue"]
    assert len(ours) == WRITERS * EACH == reports
    assert all(e.outcome == "SUCCESS" for e in ours)
    sequences = [e.seq for e in entries]
    assert sequences == list(range(start_seq + 1, start_seq + 1 + len(entries)))
    assert len({e.request_id for e in ours}) == WRITERS * EACH
