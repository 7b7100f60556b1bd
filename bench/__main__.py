"""One benchmark command: `python -m bench` prints every figure the Performance section quotes.

It seeds what it needs (the demo city, plus 300 issues in compound A so a 100-issue page is
full; and a synthetic city, unless --city-url names a seeded one), lifts the rate limit for
its own servers, then prints one table:

- requests per server CPU-second for `me` and the 100-issue page over HTTP, next to a trivial
  Starlette endpoint serving the same bytes in the same run, and `me` next to strawberry's
  own trivial query (`{ hello }`, bench/strawberry_app.py), and (PostgreSQL) next to the
  same token lookup and reads written by hand on Starlette and psycopg
  (bench/handwritten_app.py);
- in-process GraphQL time of the page against hand-written SQL + json.dumps of the same rows;
- median and p95 of the scoped lists (issues, people, positions, auditLog) for each role, on
  the demo city and on the synthetic city, and their ratio;
- an audited commentOnIssue against the same rows written with plain SQL;
- `audit verify` entries per second over the synthetic city's log, in process (one walk over
  the app's session) and as `jinlin audit verify` runs it (worker processes).

    python -m bench [--requests 300] [--runs 40] [--city-url URL --city-tokens FILE]
                    [--city-scale 0.1] [--write-only]

A city named by --city-url is seeded with the benchmark's key, so its chain verifies here:
    JINLIN_SECRET_KEY=bench-secret-key-not-for-production jinlin seed city --tokens-out F

The demo database is a fresh SQLite file unless JINLIN_DATABASE_URL names another (reset).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console
from rich.table import Table

from app.cli.data import issue_role_tokens, seed_demo
from app.logging import configure_logging
from app.settings import get_settings
from bench import inprocess
from bench.common import SECRET, Benchmark, Target, measure, reset, server, warm, with_database
from bench.issues_list import add_issues
from db import migrate
from db.audit_store import chain_key, verify_chain
from db.audit_verify import verify_database
from db.engine import Database, create_engine, is_sqlite
from demo.city import CitySize, seed_city
from schema.ids import decode_id

ME = "{ me { person { name } } }"


def _nothing_to_add(_: Database) -> Any:
    return asyncio.sleep(0)


def _me_answered(data: Any) -> None:
    assert data["me"]["person"]["name"]


def _page_full(data: Any) -> None:
    assert len(data["issues"]["edges"]) == 100


ME_BENCH = Benchmark("me", ME, "the caller's name", _nothing_to_add, lambda _: {}, _me_answered)
PAGE_BENCH = Benchmark(
    "page",
    inprocess.PAGE,
    "100 issues with compound, reporter, assignee, last event",
    add_issues,
    lambda ids: {"c": ids["compound_a"]},
    _page_full,
)


class Report:
    def __init__(self) -> None:
        self.table = Table(title="Jinlin benchmark", show_lines=False)
        for name in ("what", "figure", "compared with", "ratio"):
            self.table.add_column(name)

    def row(self, what: str, figure: str, against: str = "", ratio: str = "") -> None:
        self.table.add_row(what, figure, against, ratio)
        print(f"{what}: {figure} | {against} | {ratio}", file=sys.stderr, flush=True)


def _hello_answered(data: Any) -> None:
    assert data == {"hello": "world"}


# strawberry's trivial query, answered by bench/strawberry_app.py.
HELLO_BENCH = Benchmark(
    "hello", "{ hello }", "one string", _nothing_to_add, lambda _: {}, _hello_answered
)


def http_rows(url: str, payload: dict[str, Any], requests: int, report: Report) -> None:
    token = payload["tokens"]["secretary"]
    hello = Target(token, {})
    with server(url, "bench.strawberry_app:app") as bare:
        asyncio.run(warm(bare.port, HELLO_BENCH, hello))
        trivial = measure(bare, HELLO_BENCH, hello, requests, 4)
    target = Target(token, PAGE_BENCH.variables(payload["ids"]))
    with server(url, JINLIN_COMPILED_READS="false") as served:
        asyncio.run(warm(served.port, PAGE_BENCH, target))
        resolved = measure(served, PAGE_BENCH, target, requests, 4)
    for bench in (ME_BENCH, PAGE_BENCH):
        target = Target(token, bench.variables(payload["ids"]))
        with server(url) as served:
            asyncio.run(warm(served.port, bench, target))
            body = _answer_bytes(served.port, bench, target)
            ours = measure(served, bench, target, requests, 4)
        if bench is PAGE_BENCH:
            report.row(
                "page over HTTP, requests per server CPU-s: compiled read",
                f"{ours.per_server_cpu_second:,.0f}",
                f"resolvers (JINLIN_COMPILED_READS=false): {resolved.per_server_cpu_second:,.0f}",
                f"{ours.per_server_cpu_second / resolved.per_server_cpu_second:.2f}x",
            )
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as file:
            file.write(body)
        with server(url, "bench.static_app:app", JINLIN_BENCH_BODY=file.name) as twin:
            asyncio.run(warm(twin.port, bench, target))
            floor = measure(twin, bench, target, requests, 4)
        if bench is ME_BENCH:
            report.row(
                "me over HTTP, requests per server CPU-s, against strawberry's own trivial query",
                f"{ours.per_server_cpu_second:,.0f}",
                f"strawberry `{{ hello }}` on Starlette: {trivial.per_server_cpu_second:,.0f}",
                f"{ours.per_server_cpu_second / trivial.per_server_cpu_second:.2f}",
            )
        report.row(
            f"{bench.name} over HTTP ({len(body):,} bytes), requests per server CPU-s",
            f"{ours.per_server_cpu_second:,.0f}",
            f"static Starlette, same bytes: {floor.per_server_cpu_second:,.0f}",
            f"{ours.per_server_cpu_second / floor.per_server_cpu_second:.3f}",
        )
        if not is_sqlite(url):
            with server(url, "bench.handwritten_app:app") as by_hand:
                asyncio.run(warm(by_hand.port, bench, target))
                written = measure(by_hand, bench, target, requests, 4)
            report.row(
                f"{bench.name} over HTTP, requests per server CPU-s",
                f"{ours.per_server_cpu_second:,.0f}",
                "hand-written Starlette + psycopg, same reads: "
                f"{written.per_server_cpu_second:,.0f}",
                f"{ours.per_server_cpu_second / written.per_server_cpu_second:.3f}",
            )


def _answer_bytes(port: int, bench: Benchmark, target: Target) -> bytes:
    import httpx

    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql",
        json={"query": bench.query, "variables": target.variables},
        headers=target.headers,
        timeout=60,
    )
    response.raise_for_status()
    return response.content


async def page_rows(db: Database, payload: dict[str, Any], runs: int, report: Report) -> None:
    token, compound = payload["tokens"]["secretary"], payload["ids"]["compound_a"]
    compound_id = decode_id(compound, "Organisation")
    by_hand = await inprocess.timed(runs, lambda: inprocess.page_by_hand(db, compound_id))
    floor = statistics.median(by_hand)
    for compiled in (False, True):
        graphql = await inprocess.timed(
            runs, lambda c=compiled: inprocess.page_through_graphql(db, token, compound, c)
        )
        ours = statistics.median(graphql)
        report.row(
            f"100-issue page in process ({'compiled read' if compiled else 'resolvers'}), ms",
            f"{ours * 1000:.1f}",
            f"SQL + json.dumps: {floor * 1000:.2f}",
            f"{floor / ours:.3f} of hand-written",
        )


async def write_rows(db: Database, payload: dict[str, Any], runs: int, report: Report) -> None:
    token = payload["tokens"]["secretary"]
    page = await inprocess.execute(db, token, inprocess.PAGE, {"c": payload["ids"]["compound_a"]})
    issue = page["issues"]["edges"][0]["node"]["id"]
    ctx_person = await _person_of(db, token)
    counter = iter(range(10**9))
    audited, plain = await inprocess.timed_pairs(
        runs,
        lambda: inprocess.comment_audited(db, token, issue, next(counter)),
        lambda: inprocess.comment_by_hand(db, ctx_person, issue, next(counter)),
    )
    ours, floor = statistics.median(audited), statistics.median(plain)
    report.row(
        "audited commentOnIssue, ms",
        f"{ours * 1000:.2f}",
        f"plain SQL, same rows: {floor * 1000:.2f}",
        f"{ours / floor:.2f}x",
    )


async def _person_of(db: Database, token: str) -> int:
    data = await inprocess.execute(db, token, "{ me { person { id } } }")
    return decode_id(data["me"]["person"]["id"], "Person")


async def list_latencies(
    db: Database, tokens: dict[str, str], runs: int
) -> dict[tuple[str, str], inprocess.Latency]:
    found = {}
    for role in inprocess.LIST_ROLES:
        for name, query in inprocess.LISTS.items():
            if role == "partner" and name in ("people", "positions"):
                continue  # no partner scope opens these lists
            found[(role, name)] = await inprocess.list_latency(db, tokens[role], query, runs)
    return found


def list_rows(
    demo: dict[tuple[str, str], inprocess.Latency],
    city: dict[tuple[str, str], inprocess.Latency],
    report: Report,
) -> None:
    for key, small in demo.items():
        large = city[key]
        report.row(
            f"{key[0]} {key[1]}(first: 20) ms p50/p95",
            f"city {large.median_ms:.1f} / {large.p95_ms:.1f}",
            f"demo {small.median_ms:.1f} / {small.p95_ms:.1f}",
            f"{large.median_ms / small.median_ms:.2f}x",
        )


async def verify_row(db: Database, report: Report) -> None:
    async with db.read_sessions() as session:
        started = time.perf_counter()
        checked, broken = await verify_chain(session)
        seconds = time.perf_counter() - started
    assert broken is None, broken
    report.row("audit verify, entries/s", f"{checked / seconds:,.0f}", f"{checked:,} entries")


def verify_parallel_row(url: str, report: Report) -> None:
    """As `jinlin audit verify` does it: worker processes over ranges, plain driver rows."""
    started = time.perf_counter()
    verified = verify_database(url, chain_key(), in_process_below=0)
    seconds = time.perf_counter() - started
    assert verified.broken is None, verified.broken
    report.row(
        "jinlin audit verify (parallel), entries/s",
        f"{verified.checked / seconds:,.0f}",
        f"{verified.checked:,} entries",
    )


def city_database(args: argparse.Namespace, workdir: str) -> tuple[str, dict[str, Any]]:
    if args.city_url:
        return args.city_url, json.loads(Path(args.city_tokens).read_text())
    base = os.environ.get("JINLIN_DATABASE_URL")
    url = f"{base}_city" if base and not is_sqlite(base) else f"sqlite:///{workdir}/city.db"
    migrate.reset(url)
    migrate.upgrade(url)
    scale = args.city_scale
    default = CitySize()
    size = CitySize(
        max(20, int(default.compounds * scale)),
        max(2_000, int(default.people * scale)),
        int(default.issues * scale),
        int(default.audit_entries * scale),
    )
    city = seed_city(url, size, show=False)

    async def tokens(db: Database) -> None:
        payload.update(await issue_role_tokens(db, SECRET, city.people, city.compounds))

    payload: dict[str, Any] = {}
    asyncio.run(with_database(url, tokens))
    return url, payload


async def _in_process(url: str, work: Any, *args: Any) -> Any:
    engine = create_engine(url)
    try:
        return await work(Database.from_engine(engine), *args)
    finally:
        await engine.dispose()


def all_rows(
    args: argparse.Namespace, url: str, payload: dict[str, Any], workdir: str, report: Report
) -> None:
    http_rows(url, payload, args.requests, report)
    asyncio.run(_in_process(url, page_rows, payload, args.runs, report))
    demo_lists = asyncio.run(_in_process(url, list_latencies, payload["tokens"], args.runs))
    asyncio.run(_in_process(url, write_rows, payload, args.runs, report))
    city_url, city_payload = city_database(args, workdir)
    city_lists = asyncio.run(
        _in_process(city_url, list_latencies, city_payload["tokens"], args.runs)
    )
    list_rows(demo_lists, city_lists, report)
    asyncio.run(_in_process(city_url, verify_row, report))
    verify_parallel_row(city_url, report)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="HTTP requests per row")
    parser.add_argument("--runs", type=int, default=40, help="in-process runs per row")
    parser.add_argument("--city-url", help="a database `jinlin seed city` filled")
    parser.add_argument("--city-tokens", help="its --tokens-out file")
    parser.add_argument("--city-scale", type=float, default=0.1, help="share of the default city")
    parser.add_argument(
        "--reads-only", action="store_true", help="only the HTTP and in-process page rows"
    )
    parser.add_argument(
        "--write-only", action="store_true", help="only the audited write against plain SQL"
    )
    args = parser.parse_args()
    # Everything this process audits (the demo's tokens, the city) chains under the same key
    # as the servers it starts, which run with SECRET: one key, so the chain verifies. A city
    # named by --city-url must have been seeded with JINLIN_SECRET_KEY set to it too.
    os.environ["JINLIN_SECRET_KEY"] = SECRET
    get_settings.cache_clear()
    configure_logging("WARNING")
    workdir = tempfile.mkdtemp(prefix="jinlin-bench-")
    url = os.environ.get("JINLIN_DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    asyncio.run(with_database(url, add_issues))
    report = Report()
    if args.write_only:
        asyncio.run(_in_process(url, write_rows, payload, args.runs, report))
    elif args.reads_only:
        http_rows(url, payload, args.requests, report)
        asyncio.run(_in_process(url, page_rows, payload, args.runs, report))
    else:
        all_rows(args, url, payload, workdir, report)
    backend = "SQLite" if is_sqlite(url) else "PostgreSQL"
    report.table.caption = f"{backend}; {os.cpu_count()} cores; one run, ratios side by side"
    Console(width=160).print(report.table)


if __name__ == "__main__":
    main()
