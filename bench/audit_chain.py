"""Benchmark: the audit chain's serialisation point and its verification.

Every mutation appends to one hash chain under a lock on the chain head, so
concurrent writers queue there. This prints audited mutations per second
(`reportIssue` over HTTP to one uvicorn process) with 1, 4 and 16 concurrent
clients, then bulk-inserts a chain of --entries entries computed in Python and
prints how fast it verifies (entries/s): in one process over the app's session
(as tests do), and with the parallel verifier `jinlin audit verify` uses, its
workers as processes and as threads, with the peak memory of the verifying
processes (flat: about the same for 200,000 entries as for 1,000,000). The
database is a fresh SQLite file unless JINLIN_DATABASE_URL names another (its
public schema is reset); --keep verifies the chain an earlier run left there.

    python bench/audit_chain.py [--requests 200] [--entries 200000] [--no-http] [--keep]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.cli.data import seed_demo
from app.logging import configure_logging
from bench.common import SECRET, Benchmark, Target, load, reset, server, warm, with_database
from db import migrate
from db.audit_store import use_chain_key, verify
from db.audit_verify import verify_database
from db.engine import Database, is_sqlite
from demo.city.audit_fill import fill_chain

# The chain key of the benchmark's database (the server it starts gets it too).
KEY = b"bench-audit-chain-key-not-for-production"

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


async def _verify_in_process(url: str) -> tuple[int, float]:
    result: dict[str, Any] = {}

    async def work(db: Database) -> None:
        async with db.read_sessions() as session:
            started = time.perf_counter()
            verified = await verify(session, KEY)
            result["seconds"] = time.perf_counter() - started
            assert verified.broken is None, verified.broken
            result["checked"] = verified.checked

    await with_database(url, work)
    return int(result["checked"]), float(result["seconds"])


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the pool's workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _verify_parallel(url: str, threads: bool) -> tuple[int, float]:
    started, cpu = time.perf_counter(), _cpu_seconds()
    verified = verify_database(url, KEY, in_process_below=0, threads=threads)
    seconds = time.perf_counter() - started
    assert verified.broken is None, verified.broken
    # The figure others' load on a shared machine skews least (the database server's own
    # CPU is not in it); times the cores, it is what an idle machine would reach at most.
    per_cpu = verified.checked / (_cpu_seconds() - cpu)
    name = "threads" if threads else "processes"
    print(f"verify_{name}_entries_per_cpu_second={per_cpu:.0f}")
    return verified.checked, seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--entries", type=int, default=200_000, help="chain length to verify")
    parser.add_argument("--no-http", action="store_true", help="only the verification figures")
    parser.add_argument(
        "--in-process", action="store_true", help="also time the one-process verifier"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="verify the chain an earlier run left in JINLIN_DATABASE_URL: no reset, no fill "
        "(the peak memory printed is then the verification's alone)",
    )
    args = parser.parse_args()
    configure_logging("WARNING")
    # This process and the server it starts chain with the benchmark's key.
    os.environ["JINLIN_AUDIT_KEY"] = KEY.decode()
    use_chain_key(KEY)

    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    backend = "sqlite" if is_sqlite(url) else "postgresql"
    print(f"benchmark=audit_chain backend={backend}")
    if not args.keep:
        _fill(url, args)
    runs = {
        "processes": lambda: _verify_parallel(url, threads=False),
        "threads": lambda: _verify_parallel(url, threads=True),
    }
    if args.in_process:
        runs["in_process"] = lambda: asyncio.run(_verify_in_process(url))
    for name, run in runs.items():
        checked, seconds = run()
        print(f"verify_{name}_entries={checked} verify_{name}_seconds={seconds:.2f}")
        print(f"verify_{name}_entries_per_second={checked / seconds:.0f}")
    # ru_maxrss is in KiB on Linux; the workers' is the largest any of them reached.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"verify_peak_rss_mb={own} verify_worker_peak_rss_mb={workers}")


def _fill(url: str, args: argparse.Namespace) -> None:
    """A fresh database: the audited mutations over HTTP (unless --no-http), then the chain."""
    reset(url)
    if not args.no_http:
        payload = asyncio.run(seed_demo(url, SECRET))
        target = Target(payload["tokens"][BENCH.role], BENCH.variables(payload["ids"]))
        with server(url) as served:
            asyncio.run(warm(served.port, BENCH, target))
            for clients in (1, 4, 16):
                rate = asyncio.run(load(served.port, BENCH, target, args.requests, clients))
                print(f"audited_mutations_per_second_clients_{clients}={rate:.1f}")
    else:
        migrate.upgrade(url)
    started = time.perf_counter()
    fill_chain(url, args.entries, KEY)
    print(f"fill_entries={args.entries} fill_seconds={time.perf_counter() - started:.1f}")


if __name__ == "__main__":
    main()
