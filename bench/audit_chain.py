"""Benchmark: the audit chain's serialisation point and its verification.

Every mutation appends to one hash chain under a lock on the chain head, so
concurrent writers queue there. This prints audited mutations per second
(`reportIssue` over HTTP to one uvicorn process) with 1, 4 and 16 concurrent
clients, then how fast `verify` recomputes the chain (entries/s). The database is
a fresh SQLite file unless JINLIN_DATABASE_URL names another (its public schema is
reset).

    python bench/audit_chain.py [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.cli.data import seed_demo
from app.logging import configure_logging
from bench.common import SECRET, Benchmark, Target, load, reset, server, warm, with_database
from db.audit_store import append_entry, verify_chain
from db.engine import Database, is_sqlite
from db.models import AuditEntry, AuditOutcome

REPORT = """
mutation ($i: ReportIssueInput!) { reportIssue(input: $i) { id } }
"""


def _check(data: Any) -> None:
    assert data["reportIssue"]["id"]


async def _nothing(_: Database) -> None:
    return None


BENCH = Benchmark(
    name="audit_chain",
    query=REPORT,
    rows="one audited reportIssue per request",
    setup=_nothing,
    variables=lambda ids: {
        "i": {
            "compound": ids["compound_a"],
            "channel": "HOTLINE",
            "category": "OTHER",
            "title": "bench",
        }
    },
    check=_check,
    role="resident",
)


async def _grow_log(url: str, entries: int) -> None:
    """Append ENTRIES synthetic entries, so verification is measured on a log of some size."""

    async def work(db: Database) -> None:
        async with db.write() as session:
            for n in range(entries):
                await append_entry(
                    session,
                    AuditEntry(
                        operation="benchFill",
                        resource_type="issue",
                        resource_id=str(n),
                        input={"n": n},
                        changes=[{"field": "title", "before": None, "after": f"fill {n}"}],
                        outcome=AuditOutcome.SUCCESS,
                        prev_hash="",
                        hash="",
                    ),
                )

    await with_database(url, work)


async def _verify(url: str) -> tuple[int, float]:
    result: dict[str, Any] = {}

    async def work(db: Database) -> None:
        async with db.read_sessions() as session:
            started = time.perf_counter()
            checked, broken = await verify_chain(session)
            result["seconds"] = time.perf_counter() - started
            assert broken is None, broken
            result["checked"] = checked

    await with_database(url, work)
    return int(result["checked"]), float(result["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--verify-entries", type=int, default=20_000)
    args = parser.parse_args()
    configure_logging("WARNING")

    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    target = Target(payload["tokens"][BENCH.role], BENCH.variables(payload["ids"]))
    rates = {}
    with server(url) as served:
        asyncio.run(warm(served.port, BENCH, target))
        for clients in (1, 4, 16):
            rates[clients] = asyncio.run(load(served.port, BENCH, target, args.requests, clients))
    asyncio.run(_grow_log(url, args.verify_entries))
    checked, seconds = asyncio.run(_verify(url))
    backend = "sqlite" if is_sqlite(url) else "postgresql"
    print(f"benchmark=audit_chain backend={backend}")
    for clients, rate in rates.items():
        print(f"audited_mutations_per_second_clients_{clients}={rate:.1f}")
    print(f"verify_entries={checked} verify_seconds={seconds:.3f}")
    print(f"verify_entries_per_second={checked / seconds:.0f}")


if __name__ == "__main__":
    main()
