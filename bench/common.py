"""What the benchmarks share: a fresh database with the demo city, a real uvicorn process,
the load loop, and counting the SQL statements of one request.

A benchmark script names its query, how to fill the database beyond the demo city, and
what one full answer looks like, then calls `main`. Each prints requests/s (sequential
and with concurrent clients) against the server, and the statements one request issues.
The database is a fresh SQLite file unless JINLIN_DATABASE_URL names another (its public
schema is reset).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.cli import seed_demo
from app.logging import configure_logging
from db import migrate
from db.engine import Database, create_engine, is_sqlite
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.tokens.bearer import authenticate
from schema.schema import schema

SECRET = "bench-secret-key-not-for-production"


@dataclass(frozen=True)
class Benchmark:
    """One query measured as one demo role, over data the demo city plus SETUP makes."""

    name: str
    query: str
    # What each row brings along, for the printed header.
    rows: str
    # Adds what the query needs beyond the demo city, in its own transactions.
    setup: Callable[[Database], Awaitable[None]]
    # Variables of the query, from the demo ids ({"compound_a": ..., "compound_b": ...}).
    variables: Callable[[dict[str, str]], dict[str, Any]]
    # Checks one answer's data is a full page; raises AssertionError otherwise.
    check: Callable[[Any], None]
    role: str = "secretary"


@dataclass(frozen=True)
class Target:
    token: str
    variables: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def reset(url: str) -> None:
    if not is_sqlite(url):
        migrate.reset(url)
    migrate.upgrade(url)


async def with_database(url: str, work: Callable[[Database], Awaitable[None]]) -> None:
    engine = create_engine(url)
    try:
        await work(Database.from_engine(engine))
    finally:
        await engine.dispose()


async def statements_per_request(
    url: str, bench: Benchmark, target: Target, *, compiled: bool = True
) -> int:
    """The SQL statements one execution of the query issues, once the caller is known
    (COMPILED: whether compiled reads may answer)."""
    engine = create_engine(url)
    counter = {"n": 0}

    def count(*_: object) -> None:
        counter["n"] += 1

    sa.event.listen(engine.sync_engine, "before_cursor_execute", count)
    ctx = RequestContext(
        db=Database.from_engine(engine),
        actor=ANONYMOUS,
        request_id="bench",
        compiled_reads=compiled,
    )
    try:
        ctx.actor = await authenticate(
            await ctx.token_reader(), target.token, key=SECRET, today=ctx.today
        )
        counter["n"] = 0
        result = await schema.execute(
            bench.query, variable_values=target.variables, context_value=ctx
        )
        assert not result.errors, result.errors
        bench.check(result.data)
        return counter["n"]
    finally:
        await ctx.close()
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    process: psutil.Process

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (user + system)."""
        times = self.process.cpu_times()
        return float(times.user + times.system)


@contextmanager
def server(url: str, app: str = "app.asgi:app", **extra_env: str) -> Iterator[Server]:
    """A uvicorn process serving APP (Jinlin by default) on URL's database."""
    port = free_port()
    env = {
        **os.environ,
        **extra_env,
        "JINLIN_DATABASE_URL": url,
        "JINLIN_SECRET_KEY": SECRET,
        "JINLIN_LOG_LEVEL": "WARNING",
        # A benchmark sends thousands of requests from one token: lift the rate limit
        # (the default budget ends the run after ~120 requests of a 100-row page).
        "JINLIN_RATE_LIMIT_POINTS": "1000000000",
    }
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield Server(port, psutil.Process(process.pid))
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Rate:
    per_second: float
    per_server_cpu_second: float


def measure(
    served: Server, bench: Benchmark, target: Target, requests: int, concurrency: int
) -> Rate:
    """Requests per wall second and per second of the server's own CPU time."""
    cpu_before = served.cpu_seconds()
    per_second = asyncio.run(load(served.port, bench, target, requests, concurrency))
    cpu = served.cpu_seconds() - cpu_before
    return Rate(per_second, requests / cpu if cpu > 0 else float("inf"))


async def load(
    port: int, bench: Benchmark, target: Target, requests: int, concurrency: int
) -> float:
    """Requests per second for REQUESTS posts of the query shared by CONCURRENCY clients."""
    body = {"query": bench.query, "variables": target.variables}
    remaining = iter(range(requests))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

        async def worker() -> None:
            for _ in remaining:
                response = await client.post("/graphql", json=body, headers=target.headers)
                response.raise_for_status()
                assert "errors" not in response.json()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


async def warm(port: int, bench: Benchmark, target: Target) -> None:
    """Wait for the server, then send a few requests (and check a full answer comes back)."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for _ in range(200):
            try:
                await client.get("/healthz")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        for _ in range(10):
            response = await client.post(
                "/graphql",
                json={"query": bench.query, "variables": target.variables},
                headers=target.headers,
            )
            response.raise_for_status()
        answer = response.json()
        assert "errors" not in answer, answer["errors"]
        bench.check(answer["data"])


def main(bench: Benchmark, doc: str | None) -> None:
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    configure_logging("WARNING")  # the set-up's audit lines are not figures

    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    asyncio.run(with_database(url, bench.setup))
    target = Target(payload["tokens"][bench.role], bench.variables(payload["ids"]))
    statements = asyncio.run(statements_per_request(url, bench, target))

    with server(url) as served:
        asyncio.run(warm(served.port, bench, target))
        sequential = measure(served, bench, target, args.requests // 3, 1)
        concurrent = measure(served, bench, target, args.requests, args.concurrency)
    backend = "sqlite" if is_sqlite(url) else "postgresql"
    print(f"benchmark={bench.name} backend={backend} ({bench.rows})")
    print(f"sql_statements_per_request={statements}")
    print(f"requests_per_second_sequential={sequential.per_second:.1f}")
    print(f"requests_per_second_concurrency_{args.concurrency}={concurrent.per_second:.1f}")
    print(f"requests_per_server_cpu_second={concurrent.per_server_cpu_second:.1f}")
    print(f"ms_per_request_sequential={1000 / sequential.per_second:.1f}")
