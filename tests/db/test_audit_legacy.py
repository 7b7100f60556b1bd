"""A log written before the chain had a key still verifies after migration 0008.

Runs on a SQLite file of its own: it needs a database at revision 0007.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from db import migrate
from db.audit_store import (
    GENESIS_HASH,
    ROW_FIELDS,
    append_entry,
    canonical_bytes,
    chain_key,
    plain_hash,
    verify,
)
from db.audit_verify import verify_database
from db.engine import Database, create_engine
from db.models import AuditEntry, AuditOutcome
from db.types import utcnow


def _entry(n: int) -> AuditEntry:
    return AuditEntry(  # type: ignore[call-arg]
        operation="legacy",
        resource_type="issue",
        resource_id=str(n),
        input={"n": n, "名": "改名"},
        outcome=AuditOutcome.SUCCESS,
        prev_hash="",
        hash="",
    )


async def _write_unkeyed(db: Database, count: int) -> None:
    """Append COUNT entries the way Jinlin did before 0008: plain SHA-256, head by hand."""
    prev = GENESIS_HASH
    async with db.write() as session:
        for seq in range(1, count + 1):
            entry = _entry(seq)
            entry.seq, entry.prev_hash, entry.occurred_at = seq, prev, utcnow()
            entry.hash = prev = plain_hash(canonical_bytes(entry))
            # Only the columns revision 0007 has (later ones, e.g. compound_id, are not there).
            values = {name: getattr(entry, name) for name in ROW_FIELDS}
            await session.execute(AuditEntry.__table__.insert().values(**values))  # type: ignore[attr-defined]
        await session.execute(
            sa.text("UPDATE audit_chain_head SET seq = :s, hash = :h"), {"s": count, "h": prev}
        )


async def test_entries_from_before_the_key_still_verify(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/legacy.db"
    migrate.upgrade(url, "0007")
    engine = create_engine(url)
    try:
        await _write_unkeyed(Database.from_engine(engine), 4)
        await engine.dispose()
        migrate.upgrade(url)
        db = Database.from_engine(engine)
        async with db.read_sessions() as session:
            keyed_from = (
                await session.execute(sa.text("SELECT keyed_from FROM audit_chain_head"))
            ).scalar_one()
        assert keyed_from == 5
        async with db.write() as session:
            for n in range(2):
                await append_entry(session, _entry(100 + n))
        async with db.read_sessions() as session:
            result = await verify(session)
        assert result.broken is None
        assert result.checked == 6
        # In parallel: ranges before the boundary, across it and after it (worker threads:
        # the ranges are what matters here; tests/db/test_audit_verify.py runs processes).
        for size in (2, 3):
            parallel = verify_database(
                url,
                chain_key(),
                workers=2,
                in_process_below=0,
                range_size=size,
                fetch=1,
                threads=True,
            )
            assert parallel == result
        # The entries after the boundary are keyed: their plain SHA-256 would not do.
        async with db.read_sessions() as session:
            stored = (
                await session.execute(sa.select(AuditEntry).where(AuditEntry.seq == 5))  # type: ignore[arg-type]
            ).scalar_one()
        assert stored.hash != plain_hash(canonical_bytes(stored))
    finally:
        await engine.dispose()
