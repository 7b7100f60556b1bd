"""Benchmark: nested pages from a cursor (issue 14). The compound's issues (20), each with a
page of its timeline after a cursor given as a variable and the first page of its audit
trail, as the compound's party secretary, over HTTP: answered by a compiled read, and by
the resolvers (JINLIN_COMPILED_READS=false) side by side in the same run.

Prints the statements one request issues and requests per second of the server's own CPU
time, both ways. The database is a fresh SQLite file unless JINLIN_DATABASE_URL names
another (its public schema is reset).

    python bench/nested_pages.py [--requests 300] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.cli import seed_demo
from app.logging import configure_logging
from bench.common import (
    SECRET,
    Benchmark,
    Target,
    measure,
    reset,
    server,
    statements_per_request,
    warm,
)
from db.engine import Database, create_engine
from db.models import IssueEvent
from resolvers.cursors import connection_tag, encode_cursor

QUERY = """
query ($c: ID!, $after: String) {
  issues(first: 20, filter: {compound: $c}) {
    edges { node { id title
      timeline(first: 5, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id kind toStatus createdAt } } }
      auditTrail(first: 5) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { sequence operation outcome occurredAt role } } } } }
  }
}
"""


async def _nothing(db: Database) -> None:
    """The demo city as it is: its issues have timelines and audit trails."""


def _full(data: Any) -> None:
    edges = data["issues"]["edges"]
    assert edges and any(e["node"]["auditTrail"]["edges"] for e in edges)


BENCHMARK = Benchmark(
    name="nested_pages",
    query=QUERY,
    rows="20 issues, a timeline page after a cursor and an audit trail page per issue",
    setup=_nothing,
    variables=lambda ids: {"c": ids["compound_a"]},
    check=_full,
)


async def _cursor(url: str) -> str:
    """A timeline cursor before every event: each issue's page holds its first five."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            lowest = (await connection.execute(sa.select(sa.func.min(col(IssueEvent.id))))).scalar()
    finally:
        await engine.dispose()
    return encode_cursor(connection_tag([col(IssueEvent.id)], False), [int(lowest or 1) - 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    configure_logging("WARNING")
    url = os.environ.get("JINLIN_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='jinlin-bench-')}/bench.db"
    )
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    variables = {**BENCHMARK.variables(payload["ids"]), "after": asyncio.run(_cursor(url))}
    target = Target(payload["tokens"][BENCHMARK.role], variables)
    print(f"benchmark={BENCHMARK.name} ({BENCHMARK.rows})")
    for compiled in (True, False):
        path = "compiled" if compiled else "resolvers"
        statements = asyncio.run(statements_per_request(url, BENCHMARK, target, compiled=compiled))
        with server(url, JINLIN_COMPILED_READS=str(compiled).lower()) as served:
            asyncio.run(warm(served.port, BENCHMARK, target))
            rate = measure(served, BENCHMARK, target, args.requests, args.concurrency)
        print(f"{path}: sql_statements_per_request={statements}")
        print(f"{path}: requests_per_server_cpu_second={rate.per_server_cpu_second:.1f}")
        print(f"{path}: requests_per_second_concurrency_{args.concurrency}={rate.per_second:.1f}")


if __name__ == "__main__":
    main()
