"""SIGTERM during a burst of mutations: the process goes unready, keeps serving while it
drains, finishes what is in flight and exits; every answered mutation is in the audit log
and nothing the log holds went unanswered."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid

import httpx
import psutil
import sqlalchemy as sa
from sqlmodel import col

from db.audit_store import verify_chain
from db.models import AuditEntry
from tests.app.processes import JINLIN, app_env, free_ports, running, wait_ready
from tests.helpers import Api

WRITERS = 6
DRAIN = 1.5
REPORT = "mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id } }"


async def test_sigterm_drains_then_stops_and_leaves_nothing_half_done(
    committed: Api, database_url: str
) -> None:
    api = committed
    start_seq = int(await api.scalar(sa.select(sa.func.max(AuditEntry.seq))))
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    env = app_env(database_url, shutdown_drain_seconds=str(DRAIN))
    answered: dict[str, tuple[int, float]] = {}  # request id -> (status, when)
    unanswered: list[str] = []
    stopping = asyncio.Event()

    async def writer(n: int) -> None:
        # A connection per request: what a load balancer does once told a backend drains.
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            for k in range(10_000):
                request_id = f"sigterm-{n}-{k}-{uuid.uuid4().hex[:6]}"
                report = {
                    "compound": api.ids["compound_a"],
                    "channel": "HOTLINE",
                    "category": "OTHER",
                    "title": f"sigterm {request_id}",
                }
                try:
                    response = await client.post(
                        f"{url}/graphql",
                        json={"query": REPORT, "variables": {"i": report}},
                        headers={
                            "Authorization": f"Bearer {api.tokens['resident']}",
                            "X-Request-ID": request_id,
                        },
                    )
                except httpx.TransportError:
                    unanswered.append(request_id)
                    if stopping.is_set():
                        return  # the port is closed: this process is gone
                    await asyncio.sleep(0.05)
                    continue
                answered[request_id] = (response.status_code, time.monotonic())

    readiness: list[int] = []
    with running([[JINLIN, "serve", "--port", str(port)]], env) as (pid,):
        await wait_ready(url)
        writers = [asyncio.ensure_future(writer(n)) for n in range(WRITERS)]
        await asyncio.sleep(1.0)
        signalled = time.monotonic()
        stopping.set()
        psutil.Process(pid).send_signal(signal.SIGTERM)
        async with httpx.AsyncClient(timeout=2) as probe:
            for _ in range(5):
                await asyncio.sleep(0.2)
                readiness.append((await probe.get(f"{url}/readyz")).status_code)
        await asyncio.wait_for(asyncio.gather(*writers), timeout=60)
        exit_code = psutil.Process(pid).wait(timeout=60)

    # uvicorn re-raises the SIGTERM it handled once done, so "killed by SIGTERM" is a clean end.
    assert exit_code in (0, -signal.SIGTERM)
    assert readiness and all(code == 503 for code in readiness)  # unready while draining
    assert all(status == 200 for status, _ in answered.values()), answered
    assert any(when > signalled + 0.5 for _, when in answered.values())  # served while draining
    async with api.db.read_sessions() as session:
        _, broken = await verify_chain(session)
        entries = (
            await session.execute(
                sa.select(AuditEntry.request_id, AuditEntry.outcome).where(
                    col(AuditEntry.seq) > start_seq, AuditEntry.operation == "reportIssue"
                )
            )
        ).all()
    assert broken is None
    assert all(outcome == "SUCCESS" for _, outcome in entries)
    # Every answered mutation is in the log, and the log holds nothing that went unanswered.
    assert {request_id for request_id, _ in entries} == set(answered)
    assert len(entries) == len(answered)
