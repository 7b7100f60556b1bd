"""Signed checkpoints: a signature over the chain head that a rewritten or cut log cannot meet."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.checkpoints import (
    Checkpoint,
    checkpoint_problem,
    derived_private_key,
    make_checkpoint,
    public_key_from,
    public_key_text,
)
from db.engine import Database
from tests.db.test_audit_store import _disable_append_only, _some_entries
from tests.helpers import Api

KEY = derived_private_key("a-test-secret-for-checkpoints")
PUBLIC = public_key_from(public_key_text(KEY))


async def _checkpoint(db: Database) -> Checkpoint:
    async with db.read_sessions() as session:
        return await make_checkpoint(session, KEY)


async def _problem(db: Database, checkpoint: Checkpoint, public: object = PUBLIC) -> str | None:
    async with db.read_sessions() as session:
        return await checkpoint_problem(session, checkpoint, public)  # type: ignore[arg-type]


async def test_a_fresh_checkpoint_holds_and_round_trips(api: Api) -> None:
    await _some_entries(api)
    checkpoint = await _checkpoint(api.db)
    assert checkpoint.seq == len(await api.audit_entries())
    assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint
    assert await _problem(api.db, checkpoint) is None


async def test_a_forged_or_foreign_signature_is_refused(api: Api) -> None:
    checkpoint = await _checkpoint(api.db)
    forged = dataclasses.replace(checkpoint, seq=checkpoint.seq - 1)
    assert "signature" in (await _problem(api.db, forged) or "")
    other = public_key_from(public_key_text(Ed25519PrivateKey.generate()))
    assert "signature" in (await _problem(api.db, checkpoint, other) or "")


async def test_a_rewritten_entry_is_caught_even_with_a_recomputed_chain(api: Api) -> None:
    await _some_entries(api)
    checkpoint = await _checkpoint(api.db)
    await _disable_append_only(api.db)
    async with api.db.write() as session:
        await session.execute(
            sa.text("UPDATE audit_entry SET hash = :h WHERE seq = :s"),
            {"h": "f" * 64, "s": checkpoint.seq},
        )
    assert "differs" in (await _problem(api.db, checkpoint) or "")


async def test_a_log_cut_below_the_checkpoint_is_caught(api: Api) -> None:
    await _some_entries(api)
    checkpoint = await _checkpoint(api.db)
    await _disable_append_only(api.db)
    async with api.db.write() as session:
        await session.execute(
            sa.text("DELETE FROM audit_entry WHERE seq >= :s"), {"s": checkpoint.seq}
        )
    assert "missing" in (await _problem(api.db, checkpoint) or "")
