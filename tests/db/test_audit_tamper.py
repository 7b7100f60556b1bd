"""An attacker with the database but not the audit keys cannot rewrite the log unseen.

Each attack disables the triggers, changes the log, recomputes every hash after the
change with plain SHA-256 (all one can do without the chain key) and moves the chain
head to match. Verification names the first entry that no longer holds.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db.audit_keys import derived_private_key
from db.audit_store import (
    GENESIS_HASH,
    ROW_FIELDS,
    SignedHead,
    Verified,
    canonical_values,
    chain_key,
    keyed_hash,
    keyed_values,
    plain_hash,
    verify,
)
from db.checkpoints import make_checkpoint
from tests.db.test_audit_store import _disable_append_only, _some_entries
from tests.helpers import Api

SIGNING_KEY = derived_private_key("a-test-secret-for-checkpoints")
COLUMNS = ", ".join(name for name in ROW_FIELDS if name != "hash")


async def _rows(session: AsyncSession, from_seq: int) -> list[dict[str, Any]]:
    result = await session.execute(
        sa.text(f"SELECT {COLUMNS}, hash FROM audit_entry WHERE seq >= :s ORDER BY seq"),  # noqa: S608
        {"s": from_seq},
    )
    return [dict(row._mapping) for row in result]


async def _hash_of(session: AsyncSession, seq: int) -> str:
    if seq == 0:
        return GENESIS_HASH
    found = await session.execute(
        sa.text("SELECT hash FROM audit_entry WHERE seq = :s"), {"s": seq}
    )
    return str(found.scalar_one())


# What the attacker hashes with; only a test that proves the harness right gives it the key.
HASHER: dict[str, Callable[[dict[str, Any]], str]] = {
    "hash": lambda values: plain_hash(canonical_values(values))
}


async def _recompute(session: AsyncSession, from_seq: int) -> None:
    """Relink and rehash every entry from FROM_SEQ with plain SHA-256; point the head at the end."""
    prev = await _hash_of(session, from_seq - 1)
    last = from_seq - 1
    for row in await _rows(session, from_seq):
        row["prev_hash"] = prev
        prev = HASHER["hash"](_typed(row))
        await session.execute(
            sa.text("UPDATE audit_entry SET prev_hash = :p, hash = :h WHERE seq = :s"),
            {"p": row["prev_hash"], "h": prev, "s": row["seq"]},
        )
        last = row["seq"]
    await session.execute(
        sa.text("UPDATE audit_chain_head SET seq = :s, hash = :h"), {"s": last, "h": prev}
    )


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """Column values as the application sees them (what the hash covers)."""
    typed = dict(row)
    moment = typed["occurred_at"]
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    typed["occurred_at"] = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    for name in ("input", "changes"):
        if isinstance(typed[name], str):
            typed[name] = json.loads(typed[name])
    return typed


async def _renumber(session: AsyncSession, moves: list[tuple[int, int]]) -> None:
    for old, new in moves:
        await session.execute(
            sa.text("UPDATE audit_entry SET seq = :n WHERE seq = :o"), {"n": new, "o": old}
        )


async def edit(session: AsyncSession, k: int, last: int) -> int:
    await session.execute(sa.text("UPDATE audit_entry SET role = 'admin' WHERE seq = :k"), {"k": k})
    await _recompute(session, k)
    return k


async def delete(session: AsyncSession, k: int, last: int) -> int:
    await session.execute(sa.text("DELETE FROM audit_entry WHERE seq = :k"), {"k": k})
    await _renumber(session, [(s, s - 1) for s in range(k + 1, last + 1)])
    await _recompute(session, k)
    return k


async def reorder(session: AsyncSession, k: int, last: int) -> int:
    await _renumber(session, [(k, -1), (k + 1, k), (-1, k + 1)])
    await _recompute(session, k)
    return k


async def truncate_tail(session: AsyncSession, k: int, last: int) -> int:
    await session.execute(sa.text("DELETE FROM audit_entry WHERE seq >= :k"), {"k": k})
    await _recompute(session, k)
    return k


async def append_forged(session: AsyncSession, k: int, last: int) -> int:
    await session.execute(
        sa.text(
            f"INSERT INTO audit_entry ({COLUMNS}, hash) "  # noqa: S608
            f"SELECT {COLUMNS.replace('seq, ', ':n, ', 1)}, hash FROM audit_entry WHERE seq = :k"
        ),
        {"n": last + 1, "k": k},
    )
    await _recompute(session, last + 1)
    return last + 1


async def delete_everything(session: AsyncSession, k: int, last: int) -> int:
    await session.execute(sa.text("DELETE FROM audit_entry"))
    await session.execute(
        sa.text("UPDATE audit_chain_head SET seq = 0, hash = :g"), {"g": GENESIS_HASH}
    )
    return 1


async def move_keyed_boundary(session: AsyncSession, k: int, last: int) -> int:
    """Claim the entries from K on predate the key, then rewrite them with plain SHA-256."""
    await session.execute(sa.text("UPDATE audit_chain_head SET keyed_from = :b"), {"b": last + 100})
    return await edit(session, k, last)


Attack = Callable[[AsyncSession, int, int], Awaitable[int]]
ATTACKS: list[Attack] = [
    edit,
    delete,
    reorder,
    truncate_tail,
    append_forged,
    delete_everything,
    move_keyed_boundary,
]


async def _attack(api: Api, attack: Attack, checkpoint: bool) -> tuple[int, SignedHead | None]:
    """Sign a checkpoint of the log (or not), then run ATTACK on its third-newest entry;
    return the first bad seq the attack expects and the signed head."""
    await _some_entries(api)
    last = (await api.audit_entries())[-1].seq
    signed = None
    if checkpoint:
        async with api.db.read_sessions() as session:
            signed = (await make_checkpoint(session, SIGNING_KEY)).signed_head()
    await _disable_append_only(api.db)
    async with api.db.write() as session:
        first_bad = await attack(session, last - 2, last)
    return first_bad, signed


async def _verify(api: Api, signed: SignedHead | None, from_latest: bool = False) -> Verified:
    async with api.db.read_sessions() as session:
        return await verify(session, signed=[signed] if signed else [], from_latest=from_latest)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.__name__)
async def test_every_rewrite_is_caught_at_its_first_bad_entry(api: Api, attack: Attack) -> None:
    first_bad, signed = await _attack(api, attack, checkpoint=True)
    broken = (await _verify(api, signed)).broken
    assert broken is not None
    assert broken.seq == first_bad


@pytest.mark.parametrize("attack", [edit, delete, reorder, append_forged], ids=lambda a: a.__name__)
async def test_the_key_alone_catches_rewrites_without_any_checkpoint(
    api: Api, attack: Attack
) -> None:
    first_bad, _ = await _attack(api, attack, checkpoint=False)
    broken = (await _verify(api, None)).broken
    assert broken is not None
    assert broken.seq == first_bad
    assert "content does not match its hash" in broken.reason


async def test_with_the_key_the_same_rewrite_would_verify(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harness hashes exactly what the chain hashes: only the missing key fails it."""
    monkeypatch.setitem(
        HASHER, "hash", lambda values: keyed_hash(keyed_values(values), chain_key())
    )
    await _attack(api, edit, checkpoint=False)
    assert (await _verify(api, None)).broken is None


async def test_a_rewrite_after_the_latest_checkpoint_is_caught_from_it(api: Api) -> None:
    async with api.db.read_sessions() as session:
        signed = (await make_checkpoint(session, SIGNING_KEY)).signed_head()
    await _some_entries(api)
    result = await _verify(api, signed, from_latest=True)
    assert result.broken is None
    assert (result.started_after, result.checked) == (signed.seq, 3)
    first_bad, _ = await _attack(api, edit, checkpoint=False)
    broken = (await _verify(api, signed, from_latest=True)).broken
    assert broken is not None and broken.seq == first_bad
