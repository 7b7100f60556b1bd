"""The audit chain's status for the console: latest signed checkpoint, entries since, and
the last verification of those entries.

Verifying only the entries after the latest checkpoint whose signature holds keeps the
work small (checkpoints come every N entries); the result is kept for a minute so that
reloading the page does not hash the tail again.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlmodel import col

from db.audit_store import verify
from db.checkpoints import signature_valid, stored_checkpoints, verified_heads
from db.engine import Database
from db.models import AuditChainHead
from db.types import utcnow

REUSE_SECONDS = 60.0
# Without any checkpoint the whole log would be walked: only when it is this small.
MAX_UNCHECKPOINTED = 50_000


@dataclass(frozen=True)
class Verification:
    at: str
    checked: int
    intact: bool | None
    problem: str | None


class ChainStatus:
    def __init__(self, db: Database, public_keys: list[Ed25519PublicKey]) -> None:
        self.db = db
        self.public_keys = public_keys
        self._last: tuple[float, int, Verification] | None = None

    async def read(self) -> dict[str, Any]:
        async with self.db.read_sessions() as session:
            head = (
                await session.execute(
                    sa.select(col(AuditChainHead.seq)).where(col(AuditChainHead.id) == 1)
                )
            ).scalar_one()
            checkpoints = await stored_checkpoints(session)
            latest = checkpoints[-1] if checkpoints else None
            heads, _ = verified_heads(checkpoints[-1:], self.public_keys)
            verification = await self._verification(session, head, heads, latest is not None)
        return {
            "head": head,
            "checkpoint": None
            if latest is None
            else {
                "seq": latest.seq,
                "time": latest.time,
                "signatureValid": any(signature_valid(latest, k) for k in self.public_keys),
            },
            "entriesSince": head - (latest.seq if latest else 0),
            "verification": asdict(verification),
        }

    async def _verification(
        self, session: Any, head: int, heads: list[Any], checkpointed: bool
    ) -> Verification:
        if self._last is not None:
            when, at_head, kept = self._last
            if at_head == head and time.monotonic() - when < REUSE_SECONDS:
                return kept
        if not checkpointed and head > MAX_UNCHECKPOINTED:
            return Verification(utcnow().isoformat(), 0, None, "no checkpoint yet")
        result = await verify(session, signed=heads, from_latest=bool(heads))
        verification = Verification(
            at=utcnow().isoformat(),
            checked=result.checked,
            intact=result.broken is None,
            problem=None
            if result.broken is None
            else f"entry {result.broken.seq}: {result.broken.reason}",
        )
        self._last = (time.monotonic(), head, verification)
        return verification
