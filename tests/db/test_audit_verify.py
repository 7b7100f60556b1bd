"""The parallel verifier reports exactly what one sequential walk reports.

It reads committed rows through connections of its own, so it runs on a SQLite
file of its own; the ranges are small so that breaks fall on their edges.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from db import migrate
from db.audit_store import (
    SignedHead,
    Verified,
    canonical_values,
    chain_key,
    keyed_hash,
    keyed_values,
    plain_hash,
    verify,
)
from db.audit_verify import verify_database
from db.engine import Database, create_engine
from db.models import AuditEntry
from demo.city.audit_fill import fill_chain
from tests.db.test_audit_tamper import _typed

KEY = b"a-chain-key-for-the-verifier-tests"
# seq first, as the tamper that copies an entry far ahead needs.
COLUMNS = ["seq"] + [
    c.name
    for c in AuditEntry.__table__.columns  # type: ignore[attr-defined]
    if c.name != "seq"
]
ENTRIES = 1200
RANGE = 300  # ranges (0, 300], (300, 600], ...
FETCH = 50  # a range's rows come in chunks (300, 350], (350, 400], ...


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chain") / "template.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    fill_chain(url, ENTRIES, KEY)
    return path


@pytest.fixture
def chain(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "chain.db"
    shutil.copy(template, path)
    return path


async def _sequential(
    path: Path, signed: Sequence[SignedHead] = (), from_latest: bool = False
) -> Verified:
    engine = create_engine(f"sqlite:///{path}")
    try:
        async with Database.from_engine(engine).read_sessions() as session:
            return await verify(session, KEY, signed, from_latest)
    finally:
        await engine.dispose()


def _parallel(
    path: Path,
    signed: Sequence[SignedHead] = (),
    from_latest: bool = False,
    *,
    processes: bool = False,
) -> Verified:
    """The chain verified in ranges by two workers: threads unless PROCESSES. Ranges, chunks
    and their stitching are the same code either way; worker processes cost seconds to start
    in a test (spawned, since the test's event loop runs a thread), so one test uses them."""
    return verify_database(
        f"sqlite:///{path}",
        KEY,
        signed,
        from_latest,
        workers=2,
        in_process_below=0,
        range_size=RANGE,
        fetch=FETCH,
        threads=not processes,
    )


def _tamper(path: Path, *statements: str, rehash_from: int | None = None) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER audit_entry_no_update")
        connection.execute("DROP TRIGGER audit_entry_no_delete")
        for statement in statements:
            connection.execute(statement)
        if rehash_from is not None:  # what an attacker without the key can do
            connection.row_factory = sqlite3.Row
            prev = connection.execute(
                "SELECT hash FROM audit_entry WHERE seq = ?", (rehash_from - 1,)
            ).fetchone()[0]
            rows = connection.execute(
                "SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq", (rehash_from,)
            ).fetchall()
            for row in rows:
                values = _typed(dict(row))
                values["prev_hash"] = prev
                prev = plain_hash(canonical_values(values))
                connection.execute(
                    "UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?",
                    (values["prev_hash"], prev, row["seq"]),
                )


async def test_an_intact_chain_verifies_in_parallel(chain: Path) -> None:
    result = _parallel(chain, processes=True)
    assert result == Verified(ENTRIES, None)
    assert result == await _sequential(chain)


TAMPERS: dict[str, Callable[[Path], None]] = {
    "edit the first entry of a range": lambda p: _tamper(
        p, "UPDATE audit_entry SET role = 'admin' WHERE seq = 601", rehash_from=601
    ),
    "edit inside a range": lambda p: _tamper(
        p, "UPDATE audit_entry SET role = 'admin' WHERE seq = 777", rehash_from=777
    ),
    "edit the last entry of a range": lambda p: _tamper(
        p, "UPDATE audit_entry SET role = 'admin' WHERE seq = 600", rehash_from=600
    ),
    "edit the first entry of a fetched chunk": lambda p: _tamper(
        p, "UPDATE audit_entry SET input = '{}' WHERE seq = 651", rehash_from=651
    ),
    "edit the last entry of a fetched chunk": lambda p: _tamper(
        p, "UPDATE audit_entry SET changes = '[]' WHERE seq = 650", rehash_from=650
    ),
    "edit without rehashing, mid-chunk": lambda p: _tamper(
        p, "UPDATE audit_entry SET occurred_at = '2025-01-01 00:00:00.000000' WHERE seq = 1111"
    ),
    "a scalar holding the row separator": lambda p: _tamper(
        p, "UPDATE audit_entry SET request_id = 'a],[b' WHERE seq = 420", rehash_from=420
    ),
    "relink the first entry of a fetched chunk": lambda p: _tamper(
        p, "UPDATE audit_entry SET prev_hash = hash WHERE seq = 851"
    ),
    "relink the first entry of a range": lambda p: _tamper(
        p, "UPDATE audit_entry SET prev_hash = hash WHERE seq = 301"
    ),
    "remove the last entry of a range": lambda p: _tamper(
        p, "DELETE FROM audit_entry WHERE seq = 900"
    ),
    "remove a whole range": lambda p: _tamper(
        p, "DELETE FROM audit_entry WHERE seq > 300 AND seq <= 600"
    ),
    "cut the tail": lambda p: _tamper(p, "DELETE FROM audit_entry WHERE seq > 1000"),
    "add an entry far ahead": lambda p: _tamper(
        p,
        f"INSERT INTO audit_entry ({', '.join(COLUMNS)}) "  # noqa: S608
        f"SELECT {10**12}, {', '.join(c for c in COLUMNS if c != 'seq')} "
        "FROM audit_entry WHERE seq = 5",
    ),
}


@pytest.mark.parametrize("tamper", TAMPERS.values(), ids=TAMPERS.keys())
async def test_the_first_break_is_the_sequential_one(
    chain: Path, tamper: Callable[[Path], None]
) -> None:
    tamper(chain)
    parallel = _parallel(chain)
    assert parallel.broken is not None
    assert parallel == await _sequential(chain)


def _signed_at(path: Path, seq: int) -> SignedHead:
    """A checkpoint at entry SEQ, as one whose signature holds would vouch for it."""
    with sqlite3.connect(path) as connection:
        (hash,) = connection.execute(
            "SELECT hash FROM audit_entry WHERE seq = ?", (seq,)
        ).fetchone()
    return SignedHead(seq=seq, hash=hash, entries=seq, keyed_from=1)


@pytest.mark.parametrize("at", [450, 600], ids=["mid-range", "range edge"])
async def test_from_a_checkpoint_the_first_break_after_it_is_the_sequential_one(
    chain: Path, at: int
) -> None:
    signed = [_signed_at(chain, at)]
    intact = _parallel(chain, signed, from_latest=True)
    assert intact == Verified(ENTRIES - at, None, at)
    assert intact == await _sequential(chain, signed, from_latest=True)
    _tamper(chain, "UPDATE audit_entry SET role = 'admin' WHERE seq = 901", rehash_from=901)
    broken = _parallel(chain, signed, from_latest=True)
    assert broken.broken is not None and broken.broken.seq == 901
    assert broken == await _sequential(chain, signed, from_latest=True)


async def test_from_a_checkpoint_whose_entry_was_rewritten(chain: Path) -> None:
    signed = [_signed_at(chain, 600)]
    _tamper(chain, "UPDATE audit_entry SET role = 'admin' WHERE seq = 555", rehash_from=555)
    broken = _parallel(chain, signed, from_latest=True)
    assert broken.broken is not None and broken.broken.seq == 600
    assert broken == await _sequential(chain, signed, from_latest=True)
    # From entry 1 the walk meets the rewritten entry first.
    assert _parallel(chain, signed).broken == (await _sequential(chain, signed)).broken
    assert _parallel(chain, signed).broken.seq == 555  # type: ignore[union-attr]


async def test_the_test_database_verifies_in_parallel_as_in_one_walk(
    database_url: str, demo: dict[str, Any]
) -> None:
    """The shared test database (PostgreSQL when JINLIN_DATABASE_URL says so): the driver
    path of each backend, read in ranges and chunks of a few entries."""
    parallel = verify_database(
        database_url, chain_key(), workers=2, in_process_below=0, range_size=7, fetch=3
    )
    engine = create_engine(database_url)
    try:
        async with Database.from_engine(engine).read_sessions() as session:
            assert parallel == await verify(session, chain_key())
    finally:
        await engine.dispose()
    assert parallel.checked > 0


def _rewrite_with_the_key(path: Path, seq: int, column: str, value: object) -> None:
    """What a writer with the key could have written: SEQ's COLUMN is VALUE, the chain rehashed
    (keyed) from there on and the head moved onto its end."""
    with sqlite3.connect(path) as connection:
        for trigger in ("audit_entry_no_update", "audit_chain_head_advance_only"):
            connection.execute(f"DROP TRIGGER {trigger}")
        connection.execute(f"UPDATE audit_entry SET {column} = ? WHERE seq = ?", (value, seq))  # noqa: S608
        connection.row_factory = sqlite3.Row
        (prev,) = connection.execute(
            "SELECT hash FROM audit_entry WHERE seq = ?", (seq - 1,)
        ).fetchone()
        for row in connection.execute(
            "SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq", (seq,)
        ).fetchall():
            values = _typed(dict(row))
            values["prev_hash"] = prev
            prev = keyed_hash(keyed_values(values), KEY)
            connection.execute(
                "UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?",
                (values["prev_hash"], prev, row["seq"]),
            )
        connection.execute("UPDATE audit_chain_head SET hash = ?", (prev,))


async def test_an_entry_sqlite_encodes_otherwise_than_python_still_verifies(chain: Path) -> None:
    """SQLite's json_array writes 1e+300 as 1.0e+300: that entry is hashed again from its
    plain columns, and the chain holds."""
    _rewrite_with_the_key(chain, 777, "actor_person_id", 1e300)
    result = _parallel(chain)
    assert result == Verified(ENTRIES, None)
    assert result == await _sequential(chain)
