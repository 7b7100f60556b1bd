"""Benchmark: a list of 100 positions with nested person and organisation, over HTTP.

Prints requests/s (sequential and with concurrent clients) against a real uvicorn
process, and the SQL statements one such request issues. The database is a fresh
SQLite file unless JINLIN_DATABASE_URL names another (its public schema is reset).

    python bench/positions_list.py [--requests 300] [--concurrency 4]
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
from datetime import date
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.cli import seed_demo
from db import migrate
from db.engine import Database, create_engine, is_sqlite, sync_url
from db.models import Organisation, OrganisationKind, Person, Position, PositionTitle
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.tokens import authenticate
from schema.schema import schema

SECRET = "bench-secret-key-not-for-production"
QUERY = """
query ($c: ID!) {
  positions(first: 100, filter: {subtree: $c}) {
    edges { node { id title startDate active
      person { id name phone }
      organisation { id name kind parent { id name } } } }
  }
}
"""


def reset(url: str) -> None:
    if not is_sqlite(url):
        engine = sa.create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    migrate.upgrade(url)


async def add_positions(url: str, count: int) -> None:
    engine = create_engine(url)
    db = Database.from_engine(engine)
    async with db.write() as session:
        compound = (
            await session.execute(sa.select(Organisation).where(Organisation.name == "繼光花苑"))
        ).scalar_one()
        group = (
            (
                await session.execute(
                    sa.select(Organisation).where(
                        Organisation.compound_id == compound.id,
                        Organisation.kind == OrganisationKind.PARTY_GROUP,
                    )
                )
            )
            .scalars()
            .first()
        )
        assert group is not None
        people = [
            Person(name=f"樓長{n:04d}", residence_compound_id=compound.id) for n in range(count)
        ]
        session.add_all(people)
        await session.flush()
        session.add_all(
            Position(
                person_id=p.id or 0,
                organisation_id=group.id or 0,
                title=PositionTitle.PARTY_HOUSEHOLD_HEAD,
                start_date=date(2025, 1, 1),
            )
            for p in people
        )
    await engine.dispose()


async def statements_per_request(url: str, token: str, compound: str) -> int:
    engine = create_engine(url)
    counter = {"n": 0}

    def count(*_: object) -> None:
        counter["n"] += 1

    sa.event.listen(engine.sync_engine, "before_cursor_execute", count)
    db = Database.from_engine(engine)
    ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="bench")
    ctx.actor = await authenticate(await ctx.reader(), token, key=SECRET, today=ctx.today)
    counter["n"] = 0
    result = await schema.execute(QUERY, variable_values={"c": compound}, context_value=ctx)
    assert not result.errors, result.errors
    assert len(result.data["positions"]["edges"]) == 100  # type: ignore[index]
    await ctx.close()
    await engine.dispose()
    return counter["n"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load(port: int, token: str, compound: str, requests: int, concurrency: int) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    body = {"query": QUERY, "variables": {"c": compound}}
    remaining = iter(range(requests))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:

        async def worker() -> None:
            for _ in remaining:
                response = await client.post("/graphql", json=body, headers=headers)
                response.raise_for_status()
                assert "errors" not in response.json()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


async def warm(port: int, token: str, compound: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for _ in range(200):
            try:
                await client.get("/healthz")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        for _ in range(10):
            await client.post(
                "/graphql",
                json={"query": QUERY, "variables": {"c": compound}},
                headers={"Authorization": f"Bearer {token}"},
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    asyncio.run(add_positions(url, 200))
    token, compound = payload["tokens"]["secretary"], payload["ids"]["compound_a"]
    statements = asyncio.run(statements_per_request(url, token, compound))

    port = free_port()
    env = {
        **os.environ,
        "JINLIN_DATABASE_URL": url,
        "JINLIN_SECRET_KEY": SECRET,
        "JINLIN_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.asgi:app",
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
        asyncio.run(warm(port, token, compound))
        sequential = asyncio.run(load(port, token, compound, args.requests // 3, 1))
        concurrent = asyncio.run(load(port, token, compound, args.requests, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
    backend = "sqlite" if is_sqlite(url) else "postgresql"
    print(f"backend={backend} rows=100 (person + organisation + organisation.parent per row)")
    print(f"sql_statements_per_request={statements}")
    print(f"requests_per_second_sequential={sequential:.1f}")
    print(f"requests_per_second_concurrency_{args.concurrency}={concurrent:.1f}")
    print(f"ms_per_request_sequential={1000 / sequential:.1f}")


if __name__ == "__main__":
    main()
