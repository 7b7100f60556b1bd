"""The append-only, hash-chained audit store.

Each entry's hash is SHA-256 over a canonical JSON serialisation of all its
fields, its predecessor's hash included. Writers take the chain head with
SELECT ... FOR UPDATE (SQLite's write transaction already serialises them),
so sequence numbers follow commit order and the chain cannot fork.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import AuditChainHead, AuditEntry, AuditOutcome
from db.types import utcnow

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "request_id",
    "client_address",
    "actor_person_id",
    "actor_token_id",
    "role",
    "domain",
    "operation",
    "resource_type",
    "resource_id",
    "organisation_id",
    "organisation_path",
    "input",
    "changes",
    "outcome",
    "error_code",
    "error_message",
    "prev_hash",
)
# Fields added after entries were first written: hashed only when set, so every entry
# written before they existed keeps the hash it was chained with.
OPTIONAL_HASHED_FIELDS = ("actor_organisation_id",)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, AuditOutcome):
        return value.value
    return value


def canonical_bytes(entry: AuditEntry) -> bytes:
    payload = {name: _plain(getattr(entry, name)) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        if getattr(entry, name) is not None:
            payload[name] = _plain(getattr(entry, name))
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical_bytes(entry)).hexdigest()


async def append_entry(session: AsyncSession, entry: AuditEntry) -> AuditEntry:
    """Chain ENTRY after the current head and insert it, inside the caller's transaction."""
    head = (
        await session.execute(
            sa.select(AuditChainHead).where(col(AuditChainHead.id) == 1).with_for_update()
        )
    ).scalar_one()
    entry.seq = head.seq + 1
    entry.prev_hash = head.hash
    entry.occurred_at = utcnow()
    entry.hash = entry_hash(entry)
    session.add(entry)
    head.seq = entry.seq
    head.hash = entry.hash
    await session.flush()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


async def verify_chain(session: AsyncSession, batch: int = 1000) -> tuple[int, ChainBreak | None]:
    """Recompute the chain in seq order, streaming; return (entries checked, first break)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    async for entry in _stream(session, batch):
        if entry.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != expected_prev:
            return checked, ChainBreak(entry.seq, "previous hash does not match the entry before")
        if entry_hash(entry) != entry.hash:
            return checked, ChainBreak(entry.seq, "content does not match its hash")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    head = (await session.execute(sa.select(AuditChainHead))).scalar_one()
    if head.seq != checked or head.hash != expected_prev:
        return checked, ChainBreak(checked + 1, "chain head does not match the last entry")
    return checked, None


async def _stream(session: AsyncSession, batch: int) -> AsyncIterator[AuditEntry]:
    last = 0
    while True:
        rows = (
            (
                await session.execute(
                    sa.select(AuditEntry)
                    .where(col(AuditEntry.seq) > last)
                    .order_by(col(AuditEntry.seq))
                    .limit(batch)
                )
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        for row in rows:
            yield row
        last = rows[-1].seq
        session.expunge_all()
