"""Benchmark: one page asked by many residents (compiled plans kept per shape of the
caller's grants). RESIDENTS new residents of two compounds at the same depth (compound A
and compound D of the demo city: one shape) each ask their compound's issue page twice, in
process; once with plans kept per caller, as before (every caller builds its own), and once
with plans kept per shape (built once, the caller's ids bound as parameters). Each way
has its own residents, after one warm-up request by another.

Prints, each way, the plans built and the CPU per request of the first round (every
resident's first request) and of the second. The database is a fresh SQLite file unless
JINLIN_DATABASE_URL names another (its public schema is reset).

    python bench/plans_by_shape.py [--residents 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.cli import seed_demo
from app.logging import configure_logging
from bench.common import SECRET, reset
from bench.inprocess import execute
from db.engine import Database, create_engine, is_sqlite
from db.models import Person
from resolvers.tokens.bearer import issue_token
from schema.compiled import plans
from schema.ids import decode_id

QUERY = """
{ issues(first: 20) { totalCount edges { node {
  id title status createdAt reporter { id name } compound { id name }
  assignee { id name } lastEvent { kind createdAt } } } } }
"""


async def _residents(db: Database, compounds: list[int], count: int) -> list[str]:
    """Tokens of COUNT new residents, taking the COMPOUNDS in turn."""
    secrets = []
    async with db.write() as session:
        for n in range(count):
            person = Person(
                name=f"住戶{n:03d}", residence_compound_id=compounds[n % len(compounds)]
            )
            session.add(person)
            await session.flush()
            issued = await issue_token(
                session,
                person_id=person.id or 0,
                name="bench resident",
                key=SECRET,
                lifetime=timedelta(days=1),
            )
            secrets.append(issued.secret)
    return secrets


REPORT = """
mutation ($input: ReportIssueInput!) { reportIssue(input: $input) { id } }
"""


async def _reports(db: Database, tokens: list[str], compounds: list[str]) -> None:
    """An issue reported by each resident in their compound (a page of every compound's
    own, some the asker's: their reporter known to them, the others' masked)."""
    for n, token in enumerate(tokens):
        compound = compounds[n % len(compounds)]
        value = {"compound": compound, "channel": "PHOTO_REPORT", "category": "PARKING"}
        await execute(db, token, REPORT, {"input": {**value, "title": f"報修{n:03d}"}})


async def _round(db: Database, tokens: list[str]) -> tuple[int, list[float]]:
    """Each token's request once: the plans built and each request's CPU seconds."""
    gc.collect()  # the garbage of earlier rounds is not this round's
    builds = plans.BUILDS.count
    seconds = []
    for token in tokens:
        start = time.process_time()
        data = await execute(db, token, QUERY)
        seconds.append(time.process_time() - start)
        assert data["issues"]["edges"], "a resident sees their compound's issues"
    return plans.BUILDS.count - builds, seconds


def _figures(way: str, label: str, builds: int, seconds: list[float]) -> None:
    mean, median = statistics.mean(seconds) * 1000, statistics.median(seconds) * 1000
    slowest = max(seconds) * 1000
    print(
        f"{way:<10} {label:<7} builds={builds:<4} cpu_ms_per_request_mean={mean:.2f} "
        f"median={median:.2f} max={slowest:.2f} (request {seconds.index(max(seconds)) + 1})"
    )


async def _run(url: str, compounds: list[str], residents: int) -> None:
    engine = create_engine(url)
    db = Database.from_engine(engine)
    ids = [decode_id(compound, "Organisation") for compound in compounds]
    try:
        ways = {"per_caller": await _residents(db, ids, residents + 1)}
        ways["per_shape"] = await _residents(db, ids, residents + 1)
        for tokens in ways.values():
            await _reports(db, tokens, compounds)
        for way, tokens in ways.items():
            # Before: no caller has a shape, so each keeps (and builds) its own plan.
            unshaped = mock.patch.object(plans, "renamed", lambda actor: None)
            with unshaped if way == "per_caller" else contextlib.nullcontext():
                await _round(db, tokens[:1])  # warm-up: the statements, the scope clauses
                builds, seconds = await _round(db, tokens[1:])
                _figures(way, "first", builds, seconds)
                builds, seconds = await _round(db, tokens[1:])
                _figures(way, "again", builds, seconds)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=50)
    args = parser.parse_args()
    configure_logging("WARNING")
    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    compounds = [payload["ids"][f"compound_{key}"] for key in "ad"]
    backend = "sqlite" if is_sqlite(url) else "postgresql"
    print(f"benchmark=plans_by_shape backend={backend} residents={args.residents}")
    asyncio.run(_run(url, compounds, args.residents))


if __name__ == "__main__":
    main()
