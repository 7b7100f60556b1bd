"""The append-only, keyed hash chain of audit entries.

Each entry's hash is an HMAC-SHA256, under the audit chain key, of a canonical JSON
serialisation of all its fields, its predecessor's hash included. The database never
holds the key, so whoever edits, removes or reorders entries there cannot recompute
a chain that verifies. Entries written before the chain had a key (below the head's
`keyed_from`, set by migration 0008) keep their plain SHA-256 hashes; a signed
checkpoint records that boundary, so moving it is caught too.

Writers take the chain head with SELECT ... FOR UPDATE (SQLite's write transaction
already serialises them), so sequence numbers follow commit order and the chain
cannot fork; the head row itself only accepts that one advance (database triggers).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

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
# The columns verification reads, in this order: the hashed ones, then the stored hash.
ROW_FIELDS = (*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS, "hash")

_entries = AuditEntry.__table__  # type: ignore[attr-defined]
_head = AuditChainHead.__table__  # type: ignore[attr-defined]

# A key set by the process itself (benchmarks, tools); otherwise the settings' key.
_chain_key: bytes | None = None


def use_chain_key(key: bytes | None) -> None:
    """Chain with KEY in this process; None: back to the one the settings give."""
    global _chain_key
    _chain_key = key


def chain_key() -> bytes:
    if _chain_key is not None:
        return _chain_key
    # The process's own configuration, read where it is needed: the key must not
    # travel through every caller, and production refuses to start without it.
    from app.settings import get_settings

    return get_settings().audit_chain_key()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, AuditOutcome):
        return value.value
    return value


def canonical_values(values: Mapping[str, Any]) -> bytes:
    """The bytes an entry's hash covers, from its field values (an entry or a row)."""
    payload = {name: _plain(values[name]) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        if values[name] is not None:
            payload[name] = _plain(values[name])
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_bytes(entry: AuditEntry) -> bytes:
    return canonical_values({name: getattr(entry, name) for name in ROW_FIELDS[:-1]})


def keyed_hash(data: bytes, key: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def plain_hash(data: bytes) -> str:
    """How entries were hashed before the chain had a key (kept for those entries)."""
    return hashlib.sha256(data).hexdigest()


def entry_hash(entry: AuditEntry, key: bytes | None = None) -> str:
    return keyed_hash(canonical_bytes(entry), key if key is not None else chain_key())


async def append_entry(
    session: AsyncSession, entry: AuditEntry, key: bytes | None = None
) -> AuditEntry:
    """Chain ENTRY after the current head and insert it, inside the caller's transaction."""
    seq, prev_hash = (
        await session.execute(
            sa.select(_head.c.seq, _head.c.hash).where(_head.c.id == 1).with_for_update()
        )
    ).one()
    entry.seq = seq + 1
    entry.prev_hash = prev_hash
    entry.occurred_at = utcnow()
    entry.hash = entry_hash(entry, key)
    session.add(entry)
    # The entry first: the head's trigger only lets it advance onto an existing entry.
    await session.flush()
    await session.execute(
        _head.update().where(_head.c.id == 1).values(seq=entry.seq, hash=entry.hash)
    )
    return entry


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


@dataclass(frozen=True)
class SignedHead:
    """What a checkpoint whose signature holds vouches for."""

    seq: int
    hash: str
    entries: int
    keyed_from: int


@dataclass(frozen=True)
class Verified:
    checked: int
    broken: ChainBreak | None
    started_after: int = 0


class _Walk:
    """The sequential link check over rows whose hashes were already computed."""

    def __init__(
        self, key: bytes, keyed_from: int, signed: Mapping[int, str], start: int, prev: str
    ):
        self.key = key
        self.keyed_from = keyed_from
        self.signed = signed
        self.expected_seq = start + 1
        self.expected_prev = prev
        self.checked = 0

    def step(self, rows: Sequence[Sequence[Any]]) -> ChainBreak | None:
        for row, computed in zip(rows, hashes_of(rows, self.key, self.keyed_from), strict=True):
            seq, prev_hash, stored = row[0], row[18], row[20]
            if seq != self.expected_seq:
                return ChainBreak(self.expected_seq, f"entry {self.expected_seq} is missing")
            if prev_hash != self.expected_prev:
                return ChainBreak(seq, "previous hash does not match the entry before")
            if computed != stored:
                return ChainBreak(seq, "content does not match its hash")
            signed = self.signed.get(seq)
            if signed is not None and signed != stored:
                return ChainBreak(seq, "hash differs from the one a signed checkpoint holds")
            self.expected_prev = stored
            self.expected_seq += 1
            self.checked += 1
        return None


def hashes_of(rows: Iterable[Sequence[Any]], key: bytes, keyed_from: int) -> list[str]:
    """The hash each row (in ROW_FIELDS order) should have."""
    out = []
    for row in rows:
        data = canonical_values(dict(zip(ROW_FIELDS, row, strict=True)))
        out.append(keyed_hash(data, key) if row[0] >= keyed_from else plain_hash(data))
    return out


async def verify_chain(
    session: AsyncSession,
    key: bytes | None = None,
    signed: Sequence[SignedHead] = (),
    from_latest: bool = False,
    batch: int = 5000,
) -> tuple[int, ChainBreak | None]:
    """Recompute the chain in seq order, streaming; return (entries checked, first break).

    SIGNED are checkpoints whose signatures hold: every entry they name must still
    have their hash, and the latest fixes the keyed boundary and how many entries
    the log has at least. FROM_LATEST starts at the latest instead of entry 1.
    """
    result = await verify(session, key, signed, from_latest, batch)
    return result.checked, result.broken


async def verify(
    session: AsyncSession,
    key: bytes | None = None,
    signed: Sequence[SignedHead] = (),
    from_latest: bool = False,
    batch: int = 5000,
) -> Verified:
    head_seq, head_hash, head_keyed_from = (
        await session.execute(sa.select(_head.c.seq, _head.c.hash, _head.c.keyed_from))
    ).one()
    latest = max(signed, key=lambda s: s.seq) if signed else None
    keyed_from = latest.keyed_from if latest else head_keyed_from
    start, prev = (latest.seq, latest.hash) if latest and from_latest else (0, GENESIS_HASH)
    if start:
        stored = (
            await session.execute(sa.select(_entries.c.hash).where(_entries.c.seq == start))
        ).scalar_one_or_none()
        if stored is None:
            return Verified(0, ChainBreak(start, f"entry {start} is missing"), start)
        if stored != prev:
            return Verified(
                0, ChainBreak(start, "hash differs from the one a signed checkpoint holds"), start
            )
    walk = _Walk(
        key if key is not None else chain_key(),
        keyed_from,
        {s.seq: s.hash for s in signed},
        start,
        prev,
    )
    statement = (
        sa.select(*(_entries.c[name] for name in ROW_FIELDS))
        .where(_entries.c.seq > start)
        .order_by(_entries.c.seq)
        .execution_options(yield_per=batch)
    )
    rows = await session.stream(statement)
    async for part in rows.partitions():
        broken = walk.step(part)
        if broken is not None:
            await rows.close()
            return Verified(walk.checked, broken, start)
    last = walk.expected_seq - 1
    if latest is not None and last < latest.seq:
        return Verified(
            walk.checked,
            ChainBreak(
                last + 1,
                f"entry {last + 1} is missing: a signed checkpoint covers {latest.entries} entries",
            ),
            start,
        )
    if head_seq != last or head_hash != walk.expected_prev:
        return Verified(
            walk.checked, ChainBreak(last + 1, "chain head does not match the last entry"), start
        )
    if head_keyed_from != keyed_from:
        return Verified(
            walk.checked,
            ChainBreak(keyed_from, "chain head's keyed boundary differs from the signed one"),
            start,
        )
    return Verified(walk.checked, None, start)
