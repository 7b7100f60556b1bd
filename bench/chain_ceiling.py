"""Benchmark: the audited-write ceiling of one chain.

Every audited mutation appends to one hash chain under a lock on its head, held from
`SELECT ... FOR UPDATE` to COMMIT; whatever else a mutation does runs in parallel, this
does not. So the ceiling of one chain is how many such append-and-commit transactions
the database completes per second, with as many writers as you like. This runs WRITERS
concurrent writers in each of PROCESSES processes (so Python is not what limits them),
each appending real entries through the app's writer (db.audit_store.append_entry) in a
write transaction of its own, for SECONDS, and prints audited appends per second.

The database's public schema is reset: point JINLIN_DATABASE_URL at a database of your
own (PostgreSQL; SQLite serialises all writers on its file lock anyway).

    JINLIN_DATABASE_URL=postgresql://... python bench/chain_ceiling.py \
        [--processes 2] [--writers 1 4 16] [--seconds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import reset
from db.audit_store import append_entry, use_chain_key, verify_chain
from db.engine import Database, PoolOptions, create_engine
from db.models import AuditEntry
from db.models.enums import AuditOutcome

KEY = b"bench-audit-chain-key-not-for-production"


def _entry(n: int) -> AuditEntry:
    """An entry the size of a typical mutation's (an issue update with one change)."""
    return AuditEntry(
        request_id=f"ceiling-{os.getpid()}-{n}",
        client_address="127.0.0.1",
        actor_person_id=1 + n % 977,
        role="secretary",
        domain="/1/2/",
        operation="updateIssue",
        resource_type="issue",
        resource_id=str(n),
        organisation_id=4,
        organisation_path="/1/2/4/",
        input={"id": f"SXNzdWU6{n}", "title": f"楼道灯不亮 {n}", "priority": "HIGH"},
        changes=[{"field": "title", "before": f"灯 {n}", "after": f"楼道灯不亮 {n}"}],
        outcome=AuditOutcome.SUCCESS,
        prev_hash="",
        hash="",
    )


async def _writers(url: str, writers: int, seconds: float) -> int:
    use_chain_key(KEY)
    engine = create_engine(url, pool=PoolOptions(size=writers, max_overflow=0))
    db = Database.from_engine(engine)
    deadline = time.monotonic() + seconds
    done = [0]

    async def writer(w: int) -> None:
        n = w * 10_000_000
        while time.monotonic() < deadline:
            async with db.write() as session:
                await append_entry(session, _entry(n), KEY)
            n += 1
            done[0] += 1

    try:
        await asyncio.gather(*(writer(w) for w in range(writers)))
    finally:
        await engine.dispose()
    return done[0]


def _process(url: str, writers: int, seconds: float, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    results.put(asyncio.run(_writers(url, writers, seconds)))


def run(url: str, processes: int, writers: int, seconds: float) -> float:
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    workers = [
        multiprocessing.Process(target=_process, args=(url, writers, seconds, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    # Each process writes for SECONDS from its first connection on; start-up is not counted.
    total = sum(results.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


async def _intact(url: str) -> None:
    use_chain_key(KEY)
    engine = create_engine(url)
    try:
        async with Database.from_engine(engine).read_sessions() as session:
            checked, broken = await verify_chain(session)
        assert broken is None, broken
        print(f"chain_entries={checked} chain_intact=yes")
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    url = os.environ.get("JINLIN_DATABASE_URL")
    if not url:
        raise SystemExit("JINLIN_DATABASE_URL must name a PostgreSQL database of your own")
    os.environ["JINLIN_AUDIT_KEY"] = KEY.decode()
    reset(url)
    print(f"benchmark=chain_ceiling processes={args.processes} cpus={os.cpu_count()}")
    for writers in args.writers:
        rate = run(url, args.processes, writers, args.seconds)
        total = args.processes * writers
        print(f"audited_appends_per_second_writers_{total}={rate:.0f}")
    asyncio.run(_intact(url))


if __name__ == "__main__":
    main()
