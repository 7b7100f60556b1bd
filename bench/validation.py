"""Benchmark: what a request costs before its resolvers run (parse, validate, limits, cost).

In process, no HTTP. Prints, for the 100-issue page document of bench/issues_list.py
(executed as the demo secretary on the demo city, so execution itself is small):

- ms per request through `schema.execute` with the same document every time (what the
  parser and validation caches are for), and how often graphql-core parsed and validated;
- the same for an anonymous caller, who gets an empty page: the fixed cost of a request;
- ms to parse and validate that document once, uncached;

and, for the adversarial document whose fragments each spread the next one twice
(`query{...F0} fragment F0 on Query{...F1 ...F1} ... fragment Fn on Query{__typename}`),
ms to answer it (refused or run) for each n given.

    python bench/validation.py [--requests 200] [--doubling 16 21 30]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import graphql
import graphql.language.parser

from app.cli import seed_demo
from app.logging import configure_logging
from bench.common import SECRET, reset
from bench.issues_list import QUERY
from db.engine import Database, create_engine
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.tokens.bearer import authenticate
from schema.schema import schema


def doubling(n: int) -> str:
    """Fragments each spreading the next one twice: 2**n fields once every spread is inlined."""
    fragments = " ".join(f"fragment F{i} on Query{{...F{i + 1} ...F{i + 1}}}" for i in range(n))
    return f"query{{...F0}} {fragments} fragment F{n} on Query{{__typename}}"


class Calls:
    """Counts graphql-core's parses and validations, whichever module calls them (each builds
    one Parser or one ValidationContext, looked up in graphql-core's own modules)."""

    def __init__(self) -> None:
        self.parse = 0
        self.validate = 0
        calls = self
        validation = importlib.import_module("graphql.validation.validate")

        class Parser(graphql.language.parser.Parser):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                calls.parse += 1
                super().__init__(*args, **kwargs)

        class ValidationContext(validation.ValidationContext):  # type: ignore[misc, name-defined]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                calls.validate += 1
                super().__init__(*args, **kwargs)

        graphql.language.parser.Parser = Parser  # type: ignore[misc]
        validation.ValidationContext = ValidationContext


async def page(url: str, token: str, compound: str, requests: int, calls: Calls) -> None:
    engine = create_engine(url)
    db = Database.from_engine(engine)
    variables = {"c": compound}
    try:
        durations = []
        for _ in range(requests):
            ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="bench", secret_key=SECRET)
            ctx.actor = await authenticate(await ctx.reader(), token, key=SECRET, today=ctx.today)
            started = time.perf_counter()
            result = await schema.execute(QUERY, variable_values=variables, context_value=ctx)
            durations.append(time.perf_counter() - started)
            await ctx.close()
            assert not result.errors, result.errors
        steady = sorted(durations[1:])[len(durations) // 2]
        print(f"page_ms_per_request_median={steady * 1000:.2f} (after the first)")
        print(f"page_ms_first_request={durations[0] * 1000:.2f}")
        print(
            f"page_graphql_parse_calls={calls.parse} validate_calls={calls.validate} "
            f"for {requests} requests"
        )
        # An anonymous caller sees no issue: the same document, next to no execution, so
        # what is left is the fixed cost of a request (parse, validate, limits, cost).
        durations = []
        for _ in range(requests):
            ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="bench", secret_key=SECRET)
            started = time.perf_counter()
            result = await schema.execute(QUERY, variable_values=variables, context_value=ctx)
            durations.append(time.perf_counter() - started)
            await ctx.close()
            assert not result.errors, result.errors
        steady = sorted(durations)[len(durations) // 2]
        print(f"page_anonymous_ms_per_request_median={steady * 1000:.2f} (an empty page)")
    finally:
        await engine.dispose()

    document = graphql.parse(QUERY)
    started = time.perf_counter()
    for _ in range(20):
        graphql.parse(QUERY)
    print(f"page_ms_per_parse_uncached={(time.perf_counter() - started) / 20 * 1000:.2f}")
    started = time.perf_counter()
    for _ in range(20):
        graphql.validate(schema._schema, document)
    print(f"page_ms_per_validate_uncached={(time.perf_counter() - started) / 20 * 1000:.2f}")


async def adversarial(n: int) -> None:
    query = doubling(n)
    started = time.perf_counter()
    result = await schema.execute(query)
    elapsed = time.perf_counter() - started
    outcome = "refused" if result.errors else "answered"
    print(f"doubling_n={n} bytes={len(query)} ms={elapsed * 1000:.1f} {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--doubling", type=int, nargs="*", default=[16, 21, 30])
    args = parser.parse_args()
    configure_logging("WARNING")
    calls = Calls()
    url = os.environ.get("JINLIN_DATABASE_URL") or (
        f"sqlite:///{tempfile.mkdtemp(prefix='jinlin-bench-')}/bench.db"
    )
    reset(url)
    payload = asyncio.run(seed_demo(url, SECRET))
    asyncio.run(
        page(
            url, payload["tokens"]["secretary"], payload["ids"]["compound_a"], args.requests, calls
        )
    )
    for n in args.doubling:
        asyncio.run(adversarial(n))


if __name__ == "__main__":
    main()
