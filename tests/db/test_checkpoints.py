"""Signed checkpoints: a signature over the chain head that a rewritten or cut log cannot meet."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import json
from pathlib import Path

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.checkpoints import (
    Checkpoint,
    CheckpointPolicy,
    checkpoint_due,
    checkpoint_loop,
    checkpoint_problem,
    derived_private_key,
    make_checkpoint,
    public_key_from,
    public_key_text,
    read_file,
    record_checkpoint,
    signature_valid,
    stored_checkpoints,
    verified_heads,
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


async def test_a_recorded_checkpoint_is_stored_once_and_written_to_the_file(
    api: Api, tmp_path: Path
) -> None:
    await _some_entries(api)
    sink = tmp_path / "outside" / "checkpoints.jsonl"
    taken = await record_checkpoint(api.db, KEY, sink)
    assert taken is not None
    assert taken.entries == taken.seq == len(await api.audit_entries())
    assert read_file(sink) == [taken]
    assert await record_checkpoint(api.db, KEY, sink) is None  # this head is signed already
    assert read_file(sink) == [taken]
    async with api.db.read_sessions() as session:
        assert (await stored_checkpoints(session))[-1] == taken
    forged = dataclasses.replace(taken, seq=1)
    heads, problems = verified_heads([*read_file(sink), forged], [PUBLIC])
    assert heads == [taken.signed_head()]
    assert problems == ["checkpoint at entry 1: the signature is not valid for this key"]
    # After a rotation the new key's checkpoints and the retired key's both count.
    new_key = Ed25519PrivateKey.generate()
    async with api.db.read_sessions() as session:
        rotated = await make_checkpoint(session, new_key)
    new_public = new_key.public_key()
    assert verified_heads([taken, rotated], [new_public])[1] == [
        f"checkpoint at entry {taken.seq}: the signature is not valid for this key"
    ]
    assert verified_heads([taken, rotated], [new_public, PUBLIC])[1] == []


async def test_a_checkpoint_is_due_after_n_entries_or_m_minutes_of_growth(api: Api) -> None:
    await record_checkpoint(api.db, KEY, None)
    now = asyncio.get_running_loop().time()
    every_3 = CheckpointPolicy(every_entries=3, every_seconds=60, sink=None)
    assert not await checkpoint_due(api.db, every_3, since=now)
    await _some_entries(api)  # three entries
    assert await checkpoint_due(api.db, every_3, since=now)
    every_10 = CheckpointPolicy(every_entries=10, every_seconds=60, sink=None)
    assert not await checkpoint_due(api.db, every_10, since=now)
    assert await checkpoint_due(api.db, every_10, since=now - 61)
    await record_checkpoint(api.db, KEY, None)
    assert not await checkpoint_due(api.db, every_10, since=now - 61)  # no growth since


async def test_the_loop_signs_the_head_by_itself(api: Api, tmp_path: Path) -> None:
    sink = tmp_path / "checkpoints.jsonl"
    policy = CheckpointPolicy(every_entries=1, every_seconds=0.05, sink=sink)
    await _some_entries(api)
    task = asyncio.create_task(checkpoint_loop(api.db, KEY, policy))
    try:
        for _ in range(100):
            await asyncio.sleep(0.05)
            if sink.exists():
                break
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    (taken,) = read_file(sink)
    assert taken.seq == len(await api.audit_entries())
    assert signature_valid(taken, PUBLIC)


def test_checkpoints_signed_before_the_key_still_read() -> None:
    old = Checkpoint(seq=4, hash="a" * 64, time="2026-01-01T00:00:00+00:00", signature="")
    signed = dataclasses.replace(old, signature=base64.b64encode(KEY.sign(old.message())).decode())
    line = json.dumps({"seq": 4, "hash": "a" * 64, "time": old.time, "signature": signed.signature})
    parsed = Checkpoint.from_json(line)
    assert signature_valid(parsed, PUBLIC)
    assert parsed.signed_head().keyed_from == 5  # everything it covers predates the key
