"""`jinlin serve --workers N`: N processes on one port, one audit chain between them."""

from __future__ import annotations

import asyncio

import httpx
import psutil
import sqlalchemy as sa
from sqlmodel import col

from db.audit_store import verify_chain
from db.models import AuditEntry
from tests.app.processes import JINLIN, app_env, free_ports, running, wait_ready
from tests.helpers import ENGLISH, Api

WRITERS = 8
EACH = 4
REPORT = "mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id } }"


def _workers(parent: int) -> list[psutil.Process]:
    """uvicorn's worker processes (multiprocessing spawns them) under PARENT."""
    return [
        child
        for child in psutil.Process(parent).children()
        if "spawn_main" in " ".join(child.cmdline())
    ]


async def _report(client: httpx.AsyncClient, url: str, api: Api, title: str) -> httpx.Response:
    report = {
        "compound": api.ids["compound_a"],
        "channel": "HOTLINE",
        "category": "OTHER",
        "title": title,
    }
    return await client.post(
        f"{url}/graphql",
        json={"query": REPORT, "variables": {"i": report}},
        headers={"Authorization": f"Bearer {api.tokens['resident']}"},
    )


async def test_two_workers_serve_one_port_and_keep_one_chain(
    committed: Api, database_url: str
) -> None:
    api = committed
    start_seq = int(await api.scalar(sa.select(sa.func.max(AuditEntry.seq))))
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    command = [JINLIN, "serve", "--port", str(port), "--workers", "2"]
    with running([command], app_env(database_url)) as (parent,):
        await wait_ready(url)
        for _ in range(100):  # both workers up, not just the first to answer
            if len(_workers(parent)) == 2:
                break
            await asyncio.sleep(0.1)
        assert len(_workers(parent)) == 2

        async def writer(n: int) -> list[int]:
            async with httpx.AsyncClient(headers=ENGLISH, timeout=60) as client:
                answers = [
                    await _report(client, url, api, f"worker test {n}.{k}") for k in range(EACH)
                ]
            assert all("errors" not in a.json() for a in answers), [a.text for a in answers]
            return [a.status_code for a in answers]

        statuses = await asyncio.gather(*(writer(n) for n in range(WRITERS)))
    assert all(status == 200 for each in statuses for status in each)
    async with api.db.read_sessions() as session:
        _, broken = await verify_chain(session)
        ours = (
            await session.execute(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(
                    col(AuditEntry.seq) > start_seq,
                    AuditEntry.operation == "reportIssue",
                    AuditEntry.outcome == "SUCCESS",
                )
            )
        ).scalar_one()
    assert broken is None
    assert ours == WRITERS * EACH
