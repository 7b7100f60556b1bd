"""SIGTERM during a burst of mutations: the process goes unready, keeps serving while it
drains, finishes what is in flight and exits; every answered mutation is in the audit log
and nothing the log holds went unanswered."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
import psutil
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel import col

from db.audit_store import verify_chain
from db.engine import is_sqlite
from db.models import AuditChainHead, AuditEntry, Issue
from tests.app.processes import JINLIN, app_env, free_ports, running, wait_ready
from tests.helpers import ENGLISH, Api

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
        async with httpx.AsyncClient(headers=ENGLISH, timeout=60, limits=limits) as client:
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
        async with httpx.AsyncClient(headers=ENGLISH, timeout=2) as probe:
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


# A mutation held up at the audit chain's head by a transaction of the test's own, while the
# process is told to stop. Every request ends within the request timeout, and shutdown waits
# that long plus 5 s (app/cli/serve.py), so a mutation runs into the shutdown grace only when
# the end of its cancellation is itself held up: its refusal entry, which needs the head too.
TIMEOUT = 0.5  # the request timeout; the shutdown grace is int(TIMEOUT) + 5 = 5 s
GRACE = int(TIMEOUT) + 5


@dataclass
class Stopping:
    """A real `jinlin serve` process given a mutation it cannot finish, then a SIGTERM."""

    url: str
    pid: int
    holder: AsyncConnection  # the test's transaction holding the chain head
    request_id: str
    title: str
    answer: asyncio.Future[httpx.Response]
    signalled: float


@asynccontextmanager
async def stuck_at_the_head(
    api: Api, engine: AsyncEngine, database_url: str
) -> AsyncIterator[Stopping]:
    """The test holds the chain head (FOR UPDATE); a mutation is sent, reaches the head and
    waits; then SIGTERM. The caller may end the test's transaction (stopping.holder)."""
    if is_sqlite(database_url):
        pytest.skip("row locks and cancelling a statement in flight are PostgreSQL's")
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"
    # No statement timeout: the request timeout, not PostgreSQL, stops the mutation.
    env = app_env(database_url, request_timeout_seconds=str(TIMEOUT), db_statement_timeout="0")
    request_id = f"stuck-{uuid.uuid4().hex[:8]}"
    title = f"stuck {request_id}"
    report = {
        "compound": api.ids["compound_a"],
        "channel": "HOTLINE",
        "category": "OTHER",
        "title": title,
    }
    with running([[JINLIN, "serve", "--port", str(port)]], env) as (pid,):
        await wait_ready(url)
        async with engine.connect() as holder, httpx.AsyncClient(timeout=60) as client:
            await holder.execute(
                sa.select(AuditChainHead.seq).where(AuditChainHead.id == 1).with_for_update()
            )
            answer = asyncio.ensure_future(
                client.post(
                    f"{url}/graphql",
                    json={"query": REPORT, "variables": {"i": report}},
                    headers={
                        "Authorization": f"Bearer {api.tokens['resident']}",
                        "X-Request-ID": request_id,
                    },
                )
            )
            await _waiting_on_a_lock(engine)  # the issue is inserted; the entry waits
            psutil.Process(pid).send_signal(signal.SIGTERM)
            yield Stopping(url, pid, holder, request_id, title, answer, time.monotonic())
            await holder.rollback()
            with contextlib.suppress(httpx.TransportError):
                await answer


async def _waiting_on_a_lock(engine: AsyncEngine) -> None:
    waiting = sa.text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(200):
        async with engine.connect() as connection:
            if (await connection.execute(waiting)).scalar_one():
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the mutation never reached the chain head")


async def _left_behind(api: Api, stopping: Stopping) -> tuple[list[tuple[str, str | None]], int]:
    """The request's audit entries (outcome, error message) and its issues, once the chain
    is verified whole."""
    async with api.db.read_sessions() as session:
        _, broken = await verify_chain(session)
        entries = (
            await session.execute(
                sa.select(AuditEntry.outcome, AuditEntry.error_message).where(
                    AuditEntry.request_id == stopping.request_id
                )
            )
        ).all()
        issues = (
            await session.execute(
                sa.select(sa.func.count()).select_from(Issue).where(Issue.title == stopping.title)
            )
        ).scalar_one()
    assert broken is None
    return [(str(outcome), message) for outcome, message in entries], int(issues)


async def test_a_mutation_in_flight_at_sigterm_is_cut_at_its_timeout_rolled_back_and_audited(
    committed: Api, engine: AsyncEngine, database_url: str
) -> None:
    """The process waits for it (not for the whole grace): the request timeout stops it, its
    work is rolled back, its refusal entry is written once the head is free, it is answered
    503 TIMEOUT, and then the process exits."""
    async with stuck_at_the_head(committed, engine, database_url) as stopping:
        await asyncio.sleep(TIMEOUT + 0.5)  # the timeout has cut it; its refusal waits
        assert psutil.pid_exists(stopping.pid) and not stopping.answer.done()
        await stopping.holder.rollback()  # the head is free again
        response = await asyncio.wait_for(stopping.answer, timeout=10)
        exit_code = psutil.Process(stopping.pid).wait(timeout=10)
        stopped_after = time.monotonic() - stopping.signalled
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
    assert exit_code in (0, -signal.SIGTERM)
    assert stopped_after < GRACE  # it ended with its request, not at the grace
    entries, issues = await _left_behind(committed, stopping)
    assert entries == [("FAILED", "cancelled: the request timed out")]
    assert issues == 0  # the issue it had inserted was rolled back


async def test_a_mutation_still_running_at_the_shutdown_grace_leaves_nothing_behind(
    committed: Api, engine: AsyncEngine, database_url: str
) -> None:
    """Its refusal entry cannot be written before the grace ends (the head stays taken):
    the process cancels it, answers 503 UNAVAILABLE, exits, and PostgreSQL rolls back what
    it held: neither its issue nor any entry of it is in the database."""
    async with stuck_at_the_head(committed, engine, database_url) as stopping:
        exit_code = psutil.Process(stopping.pid).wait(timeout=GRACE + 20)
        stopped_after = time.monotonic() - stopping.signalled
        response = await asyncio.wait_for(stopping.answer, timeout=10)
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAVAILABLE"
    assert stopping.request_id in error["message"]
    assert exit_code in (0, -signal.SIGTERM)
    assert stopped_after >= GRACE
    assert await _left_behind(committed, stopping) == ([], 0)
