"""Signed checkpoints of the audit chain's head.

A checkpoint states "the log has ENTRIES entries, entry SEQ has hash H, entries from
KEYED_FROM on are keyed, at time T", signed with the audit signing key (Ed25519).
They are taken automatically (every N entries and every M minutes, see
`checkpoint_loop`) and by `jinlin audit checkpoint`, stored in the database and
appended to a file outside it. Whoever rewrites or cuts the log must also forge
the signature: `jinlin audit verify` holds the log to the latest checkpoint.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
import structlog
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit_keys import derived_private_key, private_key_from
from db.audit_store import SignedHead
from db.engine import Database
from db.models import AuditChainHead, AuditCheckpoint, AuditEntry
from db.types import utcnow

__all__ = ["derived_private_key", "private_key_from"]

log = structlog.get_logger("jinlin.audit")
_head = AuditChainHead.__table__  # type: ignore[attr-defined]
_checkpoints = AuditCheckpoint.__table__  # type: ignore[attr-defined]
_entries = AuditEntry.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    signature: str
    # Absent from checkpoints signed before the chain was keyed (their message lacks them).
    entries: int | None = None
    keyed_from: int | None = None

    def message(self) -> bytes:
        body: dict[str, object] = {"seq": self.seq, "hash": self.hash, "time": self.time}
        if self.entries is not None:
            body["entries"] = self.entries
        if self.keyed_from is not None:
            body["keyed_from"] = self.keyed_from
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None}, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        data = json.loads(line)
        return cls(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            time=str(data["time"]),
            signature=str(data["signature"]),
            entries=None if data.get("entries") is None else int(data["entries"]),
            keyed_from=None if data.get("keyed_from") is None else int(data["keyed_from"]),
        )

    def signed_head(self) -> SignedHead:
        return SignedHead(
            seq=self.seq,
            hash=self.hash,
            entries=self.seq if self.entries is None else self.entries,
            # An old checkpoint predates the key: every entry it covers is plain SHA-256.
            keyed_from=self.seq + 1 if self.keyed_from is None else self.keyed_from,
        )


def public_key_text(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_key_from(encoded: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded))


def sign(
    key: Ed25519PrivateKey, seq: int, hash: str, entries: int, keyed_from: int, time: str
) -> Checkpoint:
    unsigned = Checkpoint(seq, hash, time, "", entries, keyed_from)
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(seq, hash, time, signature, entries, keyed_from)


async def make_checkpoint(
    session: AsyncSession, key: Ed25519PrivateKey, now: datetime | None = None
) -> Checkpoint:
    """Sign the head as the session sees it (with the number of entries the log holds)."""
    seq, hash, keyed_from = (
        await session.execute(sa.select(_head.c.seq, _head.c.hash, _head.c.keyed_from))
    ).one()
    entries = (
        await session.execute(sa.select(sa.func.count()).select_from(AuditEntry))
    ).scalar_one()
    return sign(key, seq, hash, int(entries), keyed_from, (now or utcnow()).isoformat())


def signature_valid(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> bool:
    try:
        public_key.verify(base64.b64decode(checkpoint.signature), checkpoint.message())
    except (InvalidSignature, ValueError):
        return False
    return True


async def checkpoint_problem(
    session: AsyncSession, checkpoint: Checkpoint, public_key: Ed25519PublicKey
) -> str | None:
    """Why CHECKPOINT does not hold against the log, or None when it does."""
    if not signature_valid(checkpoint, public_key):
        return f"checkpoint at entry {checkpoint.seq}: the signature is not valid for this key"
    if checkpoint.seq == 0:
        return None
    stored = (
        await session.execute(sa.select(_entries.c.hash).where(_entries.c.seq == checkpoint.seq))
    ).scalar_one_or_none()
    if stored is None:
        return f"checkpoint at entry {checkpoint.seq}: that entry is missing from the log"
    if stored != checkpoint.hash:
        return f"checkpoint at entry {checkpoint.seq}: the entry's hash differs from the signed one"
    return None


def append_to_file(path: Path, checkpoint: Checkpoint) -> None:
    """Append one line and make it durable before saying the checkpoint exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (checkpoint.to_json() + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_file(path: Path) -> list[Checkpoint]:
    if not path.exists():
        return []
    return [Checkpoint.from_json(line) for line in path.read_text().splitlines() if line.strip()]


async def stored_checkpoints(session: AsyncSession) -> list[Checkpoint]:
    rows = await session.execute(
        sa.select(
            _checkpoints.c.seq,
            _checkpoints.c.hash,
            _checkpoints.c.time,
            _checkpoints.c.signature,
            _checkpoints.c.entries,
            _checkpoints.c.keyed_from,
        ).order_by(_checkpoints.c.seq)
    )
    return [Checkpoint(*row) for row in rows]


async def record_checkpoint(
    db: Database, key: Ed25519PrivateKey, sink: Path | None, now: datetime | None = None
) -> Checkpoint | None:
    """Sign the head, store it and append it to SINK; None when this head is signed already.

    One row per head: several app processes racing to sign the same head store it
    once, and only the process whose row committed writes the file line.
    """
    try:
        async with db.write() as session:
            checkpoint = await make_checkpoint(session, key, now)
            exists = (
                await session.execute(
                    sa.select(_checkpoints.c.seq).where(_checkpoints.c.seq == checkpoint.seq)
                )
            ).first()
            if exists is not None:
                return None
            await session.execute(
                _checkpoints.insert().values(
                    seq=checkpoint.seq,
                    entries=checkpoint.entries,
                    hash=checkpoint.hash,
                    keyed_from=checkpoint.keyed_from,
                    time=checkpoint.time,
                    signature=checkpoint.signature,
                )
            )
    except IntegrityError:
        return None
    if sink is not None:
        append_to_file(sink, checkpoint)
    return checkpoint


def verified_heads(
    checkpoints: Iterable[Checkpoint], public_keys: Sequence[Ed25519PublicKey]
) -> tuple[list[SignedHead], list[str]]:
    """The heads signed by one of PUBLIC_KEYS, and a problem line for each other checkpoint."""
    heads: dict[int, SignedHead] = {}
    problems = []
    for checkpoint in checkpoints:
        if any(signature_valid(checkpoint, key) for key in public_keys):
            heads[checkpoint.seq] = checkpoint.signed_head()
        else:
            problems.append(
                f"checkpoint at entry {checkpoint.seq}: the signature is not valid for this key"
            )
    return [heads[seq] for seq in sorted(heads)], problems


@dataclass(frozen=True)
class CheckpointPolicy:
    every_entries: int
    every_seconds: float
    sink: Path | None

    @property
    def poll_seconds(self) -> float:
        # Often enough to notice N entries soon after they land; one indexed read a poll.
        return min(5.0, self.every_seconds)


async def checkpoint_due(db: Database, policy: CheckpointPolicy, since: float) -> bool:
    """Whether the chain grew by every_entries, or grew at all and every_seconds passed."""
    async with db.read_sessions() as session:
        head = (await session.execute(sa.select(_head.c.seq))).scalar_one()
        last = (await session.execute(sa.select(sa.func.max(_checkpoints.c.seq)))).scalar_one()
    grown = head - (last or 0)
    elapsed = asyncio.get_running_loop().time() - since
    return grown >= policy.every_entries or (grown > 0 and elapsed >= policy.every_seconds)


async def checkpoint_loop(db: Database, key: Ed25519PrivateKey, policy: CheckpointPolicy) -> None:
    """Run for the life of the app: sign the head whenever a checkpoint is due."""
    loop = asyncio.get_running_loop()
    since = loop.time()
    while True:
        await asyncio.sleep(policy.poll_seconds)
        try:
            if await checkpoint_due(db, policy, since):
                taken = await record_checkpoint(db, key, policy.sink)
                since = loop.time()
                if taken is not None:
                    log.info("audit_checkpoint", seq=taken.seq, entries=taken.entries)
        except Exception:  # a failed checkpoint must not stop the next one
            log.exception("audit_checkpoint_failed")
