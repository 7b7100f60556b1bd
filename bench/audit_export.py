"""Benchmark: the audit export stays flat in memory however long the log.

Fills a fresh database with a synthetic chain of --small entries, exports it in each
format (JSONL, CSV, XLSX) as the operator, measuring the peak of Python's allocations
(tracemalloc) and the time; then grows the chain to --large entries and does it again.
Flat memory means the two peaks are about the same (a constant batch of entries and
names, openpyxl's write-only rows); the time grows with the entries. The database is a
fresh SQLite file unless JINLIN_DATABASE_URL names another (its public schema is reset).

    python bench/audit_export.py [--small 10000] [--large 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.cli.audit import OPERATOR
from app.logging import configure_logging
from bench.common import reset, with_database
from db.audit_store import use_chain_key
from db.engine import Database, is_sqlite
from demo.city.audit_fill import fill_chain
from resolvers.audit.export import ExportFormat, export_lines, write_xlsx
from resolvers.audit.queries import AuditFilter
from resolvers.context import RequestContext

KEY = b"bench-audit-export-key-not-for-production"


async def _export(db: Database, fmt: ExportFormat, target: Path) -> int:
    ctx = RequestContext(db=db, actor=OPERATOR, request_id="bench-export")
    try:
        if fmt is ExportFormat.XLSX:
            with target.open("wb") as out:
                return await write_xlsx(ctx, AuditFilter(), out)
        written = 0
        with target.open("w", encoding="utf-8") as text:
            async for line in export_lines(ctx, AuditFilter(), fmt):
                text.write(line)
                written += 1
        return written
    finally:
        await ctx.close()


def _measure(url: str, workdir: str, entries: int) -> None:
    for fmt in ExportFormat:
        target = Path(workdir) / f"export.{fmt.value}"
        result: list[int] = []

        async def work(
            db: Database, fmt: ExportFormat = fmt, target: Path = target, result: list[int] = result
        ) -> None:
            result.append(await _export(db, fmt, target))

        tracemalloc.start()
        started = time.perf_counter()
        asyncio.run(with_database(url, work))
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = target.stat().st_size
        print(
            f"export_{fmt.value}_entries={entries} rows={result[0]} seconds={seconds:.1f} "
            f"peak_mib={peak / 2**20:.1f} file_mib={size / 2**20:.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    configure_logging("WARNING")
    use_chain_key(KEY)
    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    reset(url)
    print(f"benchmark=audit_export backend={'sqlite' if is_sqlite(url) else 'postgresql'}")
    fill_chain(url, args.small, KEY)
    _measure(url, workdir, args.small)
    fill_chain(url, args.large - args.small, KEY)
    _measure(url, workdir, args.large)


if __name__ == "__main__":
    main()
