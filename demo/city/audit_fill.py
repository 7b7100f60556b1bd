"""A long synthetic audit chain, computed in Python and bulk-inserted, for the
verification benchmark and tests (appending one by one through the writer would
take minutes for a million entries).

The chain continues from the current head with the given key, exactly as the
writer would have chained it; the head is then moved onto the last entry in one
step, with its guard trigger switched off for that statement only (it allows
single steps), so use this on a database of your own. Test and benchmark data, not
storage: it lives beside the synthetic city (demo/city/seed.py moves the head with it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from db.audit_store import HEAD_SQL, keyed_hash, keyed_values
from db.engine import is_sqlite, sync_url
from db.models import AuditEntry

BATCH = 5_000
_entries = AuditEntry.__table__  # type: ignore[attr-defined]
_START = datetime(2026, 1, 1, tzinfo=UTC)


def _entry(seq: int, prev_hash: str) -> dict[str, Any]:
    n = seq % 977
    return {
        "seq": seq,
        "occurred_at": _START + timedelta(seconds=seq, microseconds=seq % 1_000_000),
        "request_id": f"bench-{seq}",
        "client_address": "127.0.0.1",
        "actor_person_id": 1 + n,
        "actor_token_id": None,
        "role": "secretary",
        "domain": "/1/2/",
        "operation": "updateIssue",
        "resource_type": "issue",
        "resource_id": str(seq),
        "organisation_id": 4,
        "organisation_path": "/1/2/4/",
        "input": {"id": f"SXNzdWU6{seq}", "title": f"楼道灯不亮 {n}", "priority": "HIGH"},
        "changes": [{"field": "title", "before": f"灯 {n}", "after": f"楼道灯不亮 {n}"}],
        "outcome": "SUCCESS",
        "error_code": None,
        "error_message": None,
        "prev_hash": prev_hash,
        "actor_organisation_id": None,
    }


def fill_chain(url: str, entries: int, key: bytes) -> int:
    """Append ENTRIES chained entries after the head; return the new head's seq."""
    engine = sa.create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            head, prev, _ = connection.execute(sa.text(HEAD_SQL)).one()
            last = head + entries
            batch: list[dict[str, Any]] = []
            for seq in range(head + 1, last + 1):
                row = _entry(seq, prev)
                row["hash"] = prev = keyed_hash(keyed_values(row), key)
                batch.append(row)
                if len(batch) == BATCH:
                    connection.execute(_entries.insert(), batch)
                    batch = []
            if batch:
                connection.execute(_entries.insert(), batch)
            move_head(connection, url, last, prev)
        return int(last)
    finally:
        engine.dispose()


def move_head(connection: sa.Connection, url: str, seq: int, hash: str) -> None:
    """Move the chain head onto entry SEQ in one step (bulk loads only: the guard trigger,
    which allows single steps, is off for this statement)."""
    update = sa.text("UPDATE audit_chain_head SET seq = :seq, hash = :hash WHERE id = 1")
    if not is_sqlite(url):
        connection.execute(sa.text("ALTER TABLE audit_chain_head DISABLE TRIGGER USER"))
        connection.execute(update, {"seq": seq, "hash": hash})
        connection.execute(sa.text("ALTER TABLE audit_chain_head ENABLE TRIGGER USER"))
        return
    name = "audit_chain_head_advance_only"
    ddl = connection.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"), {"n": name}
    ).scalar_one()
    connection.execute(sa.text(f"DROP TRIGGER {name}"))
    connection.execute(update, {"seq": seq, "hash": hash})
    connection.exec_driver_sql(ddl)
