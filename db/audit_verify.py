"""Verify a large audit chain fast: ranges hashed in parallel processes, stitched in order.

The chain is cut into ranges of sequence numbers. Each worker process reads its
range as plain rows through its own connection (a server-side cursor on
PostgreSQL, so memory stays flat), recomputes every hash and checks the links
inside the range. The parent then stitches the ranges in order: a range's first
entry must point at the previous range's last hash. The first break is the one
a single sequential walk would report, with the same words.

Processes rather than threads: building each entry's canonical JSON holds the GIL,
and only hashing (under 1 µs an entry) would release it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import sqlalchemy as sa

from db.audit_rows import walk_range
from db.audit_store import (
    HEAD_SQL,
    LAST_SEQ_SQL,
    STORED_HASH_SQL,
    ChainBreak,
    ChainState,
    SignedHead,
    Verified,
    Walk,
)
from db.engine import sync_url

RANGE = 50_000  # entries a worker takes at a time
FETCH = 5_000  # rows per round trip inside a range
IN_PROCESS_BELOW = 100_000  # smaller logs: starting workers costs more than it saves


@dataclass(frozen=True)
class RangeResult:
    lo: int
    checked: int
    first_prev: str | None
    last_hash: str | None
    broken: ChainBreak | None


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)


def verify_range(
    url: str,
    key: bytes,
    keyed_from: int,
    signed: Mapping[int, str],
    fetch: int,
    lo: int,
    hi: int,
) -> RangeResult:
    """Walk entries lo+1 .. hi (taking the first one's predecessor claim as given)."""
    walk = Walk(key, keyed_from, signed, lo + 1, None)
    walk_range(url, walk, lo, hi, fetch)
    if walk.broken is None and walk.expected_seq <= hi:
        # The range ends early: the entries after its last one are gone.
        walk.broken = ChainBreak(walk.expected_seq, f"entry {walk.expected_seq} is missing")
    return RangeResult(lo, walk.checked, walk.first_prev, walk.expected_prev, walk.broken)


@contextmanager
def _pool(workers: int, threads: bool) -> Iterator[Executor]:
    if threads:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            yield pool
        return
    # fork starts workers at once with everything imported, but copies only the calling
    # thread: with other threads alive (a driver's, an event loop's) spawn is the safe one.
    forkable = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forkable else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def verify_database(
    url: str,
    key: bytes,
    signed: Sequence[SignedHead] = (),
    from_latest: bool = False,
    workers: int | None = None,
    in_process_below: int = IN_PROCESS_BELOW,
    range_size: int = RANGE,
    threads: bool = False,
    fetch: int = FETCH,
) -> Verified:
    """Verify the chain in the database at URL; see db.audit_store.verify for SIGNED.

    THREADS: workers are threads instead of processes (slower; kept to measure it).
    """
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            head = connection.execute(sa.text(HEAD_SQL)).one()
            last = connection.execute(sa.text(LAST_SEQ_SQL)).scalar() or 0
            state = ChainState(head[0], head[1], head[2], signed, from_latest)
            start, prev = state.start
            stored = (
                connection.execute(sa.text(STORED_HASH_SQL), {"seq": start}).scalar()
                if start
                else None
            )
    finally:
        engine.dispose()
    if (problem := state.start_problem(stored)) is not None:
        return Verified(0, problem, start)
    walk = state.walk(key)
    signed_hashes = {s.seq: s.hash for s in signed}
    task = partial(verify_range, url, key, walk.keyed_from, signed_hashes, fetch)
    bounds = ((lo, min(lo + range_size, last)) for lo in range(start, last, range_size))
    if last - start < in_process_below:
        return _stitch(state, walk, prev, (task(lo, hi) for lo, hi in bounds))
    count = workers or os.cpu_count() or 1
    with _pool(count, threads) as pool:
        results = _in_order(pool, task, bounds, ahead=2 * count)
        try:
            return _stitch(state, walk, prev, results)
        finally:
            results.close()


def _in_order(
    pool: Executor,
    task: Callable[[int, int], RangeResult],
    bounds: Iterator[tuple[int, int]],
    ahead: int,
) -> Generator[RangeResult, None, None]:
    """Results in range order, with at most AHEAD ranges submitted and not yet taken: memory
    stays flat however long the log (or however far an inserted sequence number jumps)."""
    pending: deque[Future[RangeResult]] = deque()
    try:
        for lo, hi in bounds:
            pending.append(pool.submit(task, lo, hi))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _stitch(state: ChainState, walk: Walk, prev: str, results: Iterator[RangeResult]) -> Verified:
    """Join the ranges in order, as one sequential walk would have met them."""
    for result in results:
        first_seq = result.lo + 1
        joined = result.first_prev is None or result.first_prev == prev
        if not joined:
            reason = "previous hash does not match the entry before"
            walk.broken = ChainBreak(first_seq, reason)
            break
        walk.checked += result.checked
        walk.expected_seq = first_seq + result.checked
        if result.broken is not None:
            walk.broken = result.broken
            break
        prev = result.last_hash or prev
    walk.expected_prev = prev
    return state.finish(walk)
