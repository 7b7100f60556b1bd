"""Signed checkpoints of the audit chain's head.

A checkpoint states "entry SEQ has hash H at time T", signed with the server's
Ed25519 key. Kept outside the database (a file, a ticket, an e-mail), checkpoints
turn the hash chain into evidence: whoever rewrites the log must also forge the
signature, and a log cut back below a checkpoint's sequence is caught at once.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import AuditChainHead, AuditEntry
from db.types import utcnow


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    signature: str

    def message(self) -> bytes:
        body = {"seq": self.seq, "hash": self.hash, "time": self.time}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        data = json.loads(line)
        return cls(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            time=str(data["time"]),
            signature=str(data["signature"]),
        )


def private_key_from(encoded: str) -> Ed25519PrivateKey:
    """A key from its base64 raw 32 bytes."""
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded))


def derived_private_key(secret: str) -> Ed25519PrivateKey:
    """A development key derived from the server secret (production sets its own)."""
    seed = hashlib.sha256(b"jinlin audit checkpoint key\0" + secret.encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_key_from(encoded: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded))


async def make_checkpoint(
    session: AsyncSession, key: Ed25519PrivateKey, now: datetime | None = None
) -> Checkpoint:
    head = (await session.execute(sa.select(AuditChainHead))).scalar_one()
    unsigned = Checkpoint(
        seq=head.seq, hash=head.hash, time=(now or utcnow()).isoformat(), signature=""
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(seq=unsigned.seq, hash=unsigned.hash, time=unsigned.time, signature=signature)


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
        await session.execute(
            sa.select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == checkpoint.seq)
        )
    ).scalar_one_or_none()
    if stored is None:
        return f"checkpoint at entry {checkpoint.seq}: that entry is missing from the log"
    if stored != checkpoint.hash:
        return f"checkpoint at entry {checkpoint.seq}: the entry's hash differs from the signed one"
    return None
