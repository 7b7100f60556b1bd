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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit_canonical import (
    CHECK_FIELDS,
    HASH,
    PREV,
    ROW_FIELDS,
    SEQ,
    ChunkHasher,
    canonical_values,
    keyed_hash,
    keyed_values,
    plain_hash,
)
from db.models import AuditChainHead, AuditEntry
from db.types import utcnow

# What others take from here (the serialisation itself lives in db.audit_canonical).
__all__ = [
    "GENESIS_HASH",
    "ROW_FIELDS",
    "ChainBreak",
    "SignedHead",
    "Verified",
    "append_entry",
    "canonical_values",
    "chain_key",
    "keyed_hash",
    "keyed_values",
    "plain_hash",
    "use_chain_key",
    "use_chain_key_source",
    "verify",
    "verify_chain",
]

GENESIS_HASH = "0" * 64

_entries = AuditEntry.__table__  # type: ignore[attr-defined]
_head = AuditChainHead.__table__  # type: ignore[attr-defined]

# A key set by the process itself (benchmarks, tools); otherwise the settings' key, which
# app.settings hands down when it is imported (db may not import app: layers point down).
_chain_key: bytes | None = None
_chain_key_source: Callable[[], bytes] | None = None


def use_chain_key(key: bytes | None) -> None:
    """Chain with KEY in this process; None: back to the one the settings give."""
    global _chain_key
    _chain_key = key


def use_chain_key_source(source: Callable[[], bytes]) -> None:
    """Where the key comes from unless the process set one: the process's own settings,
    read where it is needed (the key must not travel through every caller)."""
    global _chain_key_source
    _chain_key_source = source


def chain_key() -> bytes:
    if _chain_key is not None:
        return _chain_key
    if _chain_key_source is None:
        raise RuntimeError("no audit chain key: import app.settings or call use_chain_key")
    return _chain_key_source()


def canonical_bytes(entry: AuditEntry) -> bytes:
    """The bytes of an entry hashed before the chain was keyed (plain SHA-256)."""
    return canonical_values({name: getattr(entry, name) for name in ROW_FIELDS[:-1]})


def keyed_bytes(entry: AuditEntry) -> bytes:
    return keyed_values({name: getattr(entry, name) for name in ROW_FIELDS[:-1]})


def entry_hash(entry: AuditEntry, key: bytes | None = None) -> str:
    return keyed_hash(keyed_bytes(entry), key if key is not None else chain_key())


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


# Rows as verification reads them: plain driver values, JSON as text, in CHECK_FIELDS order.
ROWS_SQL = (
    "SELECT "  # noqa: S608  (constant names)
    + ", ".join(
        f"CAST({name} AS TEXT)" if name in ("input", "changes") else name for name in CHECK_FIELDS
    )
    + " FROM audit_entry WHERE seq > :lo AND seq <= :hi ORDER BY seq"
)


@dataclass
class Walk:
    """The link check over rows in seq order: each row follows the one before it.

    A walk may cover one range of the chain (a parallel verifier splits it); `first_prev`
    is then the predecessor hash the range's first entry claims, which whoever stitches
    the ranges compares with the previous range's last hash.
    """

    key: bytes
    keyed_from: int
    signed: Mapping[int, str]
    expected_seq: int
    expected_prev: str | None  # None: take the first row's claim (checked when stitching)
    checked: int = 0
    first_prev: str | None = None
    broken: ChainBreak | None = None
    hasher: ChunkHasher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.hasher = ChunkHasher(self.key, self.keyed_from)

    def step(self, rows: Sequence[Sequence[Any]]) -> bool:
        """Check ROWS (in CHECK_FIELDS order); False once a break is found (kept in `broken`)."""
        return self.follow(rows, self.hasher.hashes(rows), PREV, HASH)

    def follow(
        self, rows: Sequence[Sequence[Any]], hashes: Sequence[str], prev_at: int, hash_at: int
    ) -> bool:
        """Follow the links of ROWS (seq first, the predecessor's and their own stored hash at
        PREV_AT and HASH_AT) whose contents hash to HASHES; False once a break is found.

        A chunk's hashes are computed first, all at once; the links are then followed row by
        row, so the first break is the one an entry-by-entry walk meets.
        """
        signed = self.signed
        expected_seq, expected_prev = self.expected_seq, self.expected_prev
        for row, computed in zip(rows, hashes, strict=True):
            seq, prev_hash, stored = row[SEQ], row[prev_at], row[hash_at]
            if seq != expected_seq:
                self.broken = ChainBreak(expected_seq, f"entry {expected_seq} is missing")
                break
            if expected_prev is None:
                self.first_prev = expected_prev = prev_hash
            if prev_hash != expected_prev:
                self.broken = ChainBreak(seq, "previous hash does not match the entry before")
                break
            if computed != stored:
                self.broken = ChainBreak(seq, "content does not match its hash")
                break
            if seq in signed and signed[seq] != stored:
                self.broken = ChainBreak(seq, "hash differs from the one a signed checkpoint holds")
                break
            expected_prev = stored
            expected_seq += 1
        self.checked += expected_seq - self.expected_seq
        self.expected_seq, self.expected_prev = expected_seq, expected_prev
        return self.broken is None


@dataclass(frozen=True)
class ChainState:
    """What verification needs besides the entries: the head and the signed checkpoints."""

    head_seq: int
    head_hash: str
    head_keyed_from: int
    signed: Sequence[SignedHead]
    from_latest: bool

    @property
    def latest(self) -> SignedHead | None:
        return max(self.signed, key=lambda s: s.seq) if self.signed else None

    @property
    def keyed_from(self) -> int:
        # A signed boundary wins over the stored one, which whoever rewrites the log can move.
        latest = self.latest
        return latest.keyed_from if latest else self.head_keyed_from

    @property
    def start(self) -> tuple[int, str]:
        latest = self.latest
        return (latest.seq, latest.hash) if latest and self.from_latest else (0, GENESIS_HASH)

    def walk(self, key: bytes) -> Walk:
        start, prev = self.start
        return Walk(key, self.keyed_from, {s.seq: s.hash for s in self.signed}, start + 1, prev)

    def start_problem(self, stored: str | None) -> ChainBreak | None:
        """When starting at a checkpoint: does its entry (stored hash STORED) still hold?"""
        start, prev = self.start
        if not start:
            return None
        if stored is None:
            return ChainBreak(start, f"entry {start} is missing")
        if stored != prev:
            return ChainBreak(start, "hash differs from the one a signed checkpoint holds")
        return None

    def finish(self, walk: Walk) -> Verified:
        """The verdict once the rows are walked: the first break, or the end checks."""
        start = self.start[0]
        if walk.broken is not None:
            return Verified(walk.checked, walk.broken, start)
        last = walk.expected_seq - 1
        latest = self.latest
        if latest is not None and last < latest.seq:
            reason = (
                f"entry {last + 1} is missing: a signed checkpoint covers {latest.entries} entries"
            )
            return Verified(walk.checked, ChainBreak(last + 1, reason), start)
        last_hash = walk.expected_prev if walk.expected_prev is not None else self.start[1]
        if self.head_seq != last or self.head_hash != last_hash:
            reason = "chain head does not match the last entry"
            return Verified(walk.checked, ChainBreak(last + 1, reason), start)
        if self.head_keyed_from != self.keyed_from:
            reason = "chain head's keyed boundary differs from the signed one"
            return Verified(walk.checked, ChainBreak(self.keyed_from, reason), start)
        return Verified(walk.checked, None, start)


HEAD_SQL = "SELECT seq, hash, keyed_from FROM audit_chain_head WHERE id = 1"
STORED_HASH_SQL = "SELECT hash FROM audit_entry WHERE seq = :seq"
LAST_SEQ_SQL = "SELECT max(seq) FROM audit_entry"


async def verify_chain(
    session: AsyncSession,
    key: bytes | None = None,
    signed: Sequence[SignedHead] = (),
    from_latest: bool = False,
    batch: int = 5000,
) -> tuple[int, ChainBreak | None]:
    """Recompute the chain in seq order, streaming; return (entries checked, first break)."""
    result = await verify(session, key, signed, from_latest, batch)
    return result.checked, result.broken


async def verify(
    session: AsyncSession,
    key: bytes | None = None,
    signed: Sequence[SignedHead] = (),
    from_latest: bool = False,
    batch: int = 5000,
) -> Verified:
    """Verify in this process, over the session's connection (which sees its own changes).

    SIGNED are checkpoints whose signatures hold: every entry they name must still
    have their hash, the latest fixes the keyed boundary and how many entries the log
    has at least. FROM_LATEST starts at the latest instead of entry 1. For a large
    log, db.audit_verify.verify_database spreads the hashing over processes.
    """
    head = (await session.execute(sa.text(HEAD_SQL))).one()
    state = ChainState(head[0], head[1], head[2], signed, from_latest)
    start = state.start[0]
    if start:
        stored = (await session.execute(sa.text(STORED_HASH_SQL), {"seq": start})).scalar()
        if (problem := state.start_problem(stored)) is not None:
            return Verified(0, problem, start)
    walk = state.walk(key if key is not None else chain_key())
    last = (await session.execute(sa.text(LAST_SEQ_SQL))).scalar() or 0
    lo = start
    while lo < last and walk.broken is None:
        hi = min(lo + batch, last)
        rows = (await session.execute(sa.text(ROWS_SQL), {"lo": lo, "hi": hi})).all()
        if walk.step(rows) and walk.expected_seq <= hi:
            # Entries up to HI are gone while later ones exist.
            walk.broken = ChainBreak(walk.expected_seq, f"entry {walk.expected_seq} is missing")
        lo = hi
    return state.finish(walk)
