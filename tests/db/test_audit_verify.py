"""The parallel verifier reports exactly what one sequential walk reports.

It reads committed rows through connections of its own, so it runs on a SQLite
file of its own; the ranges are small so that breaks fall on their edges.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from db import migrate
from db.audit_store import Verified, canonical_values, plain_hash, verify
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


async def _sequential(path: Path) -> Verified:
    engine = create_engine(f"sqlite:///{path}")
    try:
        async with Database.from_engine(engine).read_sessions() as session:
            return await verify(session, KEY)
    finally:
        await engine.dispose()


def _parallel(path: Path, **options: int) -> Verified:
    return verify_database(
        f"sqlite:///{path}", KEY, workers=2, in_process_below=0, range_size=RANGE, **options
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
    result = _parallel(chain)
    assert result == Verified(ENTRIES, None)
    assert result == await _sequential(chain)


TAMPERS: dict[str, Callable[[Path], None]] = {
    "edit the first entry of a range": lambda p: _tamper(
        p, "UPDATE audit_entry SET role = 'admin' WHERE seq = 601", rehash_from=601
    ),
    "edit inside a range": lambda p: _tamper(
        p, "UPDATE audit_entry SET role = 'admin' WHERE seq = 777", rehash_from=777
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
