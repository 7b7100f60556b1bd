"""The audit store: append-only in the database, and a hash chain that shows tampering."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from db.audit_store import verify_chain
from db.engine import Database
from tests.helpers import Api

RENAME = 'mutation ($id: ID!) { updateOrganisation(input: {id: $id, name: "改名"}) { id } }'


async def _some_entries(api: Api) -> None:
    for _ in range(3):
        (await api.run(RENAME, {"id": api.ids["compound_a"]}, as_="secretary")).ok()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entry SET outcome = 'DENIED' WHERE seq = 1",
        "DELETE FROM audit_entry WHERE seq = 1",
    ],
)
async def test_raw_update_and_delete_are_refused(db: Database, statement: str) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.write() as session:
            await session.execute(sa.text(statement))


async def test_truncate_is_refused_on_postgresql(db: Database) -> None:
    if db.dialect_name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        async with db.write() as session:
            await session.execute(sa.text("TRUNCATE audit_entry"))


async def test_the_chain_verifies_after_mutations(api: Api) -> None:
    await _some_entries(api)
    async with api.db.read_sessions() as session:
        checked, broken = await verify_chain(session)
    assert broken is None
    assert checked == len(await api.audit_entries())


async def _disable_append_only(db: Database) -> None:
    async with db.write() as session:
        if db.dialect_name == "sqlite":
            await session.execute(sa.text("DROP TRIGGER audit_entry_no_update"))
            await session.execute(sa.text("DROP TRIGGER audit_entry_no_delete"))
            await session.execute(sa.text("DROP TRIGGER audit_chain_head_advance_only"))
            await session.execute(sa.text("DROP TRIGGER audit_chain_head_no_delete"))
        else:
            await session.execute(sa.text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
            await session.execute(sa.text("ALTER TABLE audit_chain_head DISABLE TRIGGER USER"))


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("UPDATE audit_entry SET role = 'admin' WHERE seq = {seq}", "content does not match"),
        ("DELETE FROM audit_entry WHERE seq = {seq}", "missing"),
        ("UPDATE audit_entry SET prev_hash = hash WHERE seq = {seq}", "previous hash"),
    ],
)
async def test_tampering_is_detected_at_the_first_bad_entry(
    api: Api, tamper: str, reason: str
) -> None:
    await _some_entries(api)
    entries = await api.audit_entries()
    target = entries[-2].seq
    await _disable_append_only(api.db)
    async with api.db.write() as session:
        await session.execute(sa.text(tamper.format(seq=target)))
    async with api.db.read_sessions() as session:
        checked, broken = await verify_chain(session)
    assert broken is not None
    assert broken.seq == target
    assert reason in broken.reason
    assert checked == target - 1


async def test_a_removed_tail_is_detected_by_the_head(api: Api) -> None:
    await _some_entries(api)
    last = (await api.audit_entries())[-1].seq
    await _disable_append_only(api.db)
    async with api.db.write() as session:
        await session.execute(sa.text(f"DELETE FROM audit_entry WHERE seq = {last}"))  # noqa: S608
    async with api.db.read_sessions() as session:
        _, broken = await verify_chain(session)
    assert broken is not None
    assert "head" in broken.reason


async def test_reordered_entries_are_detected(api: Api) -> None:
    await _some_entries(api)
    entries = await api.audit_entries()
    first, second = entries[-3].seq, entries[-2].seq
    await _disable_append_only(api.db)
    async with api.db.write() as session:
        # Swap two entries' places in the chain (through a free sequence number).
        await session.execute(
            sa.text("UPDATE audit_entry SET seq = -1 WHERE seq = :a"), {"a": first}
        )
        await session.execute(
            sa.text("UPDATE audit_entry SET seq = :a WHERE seq = :b"), {"a": first, "b": second}
        )
        await session.execute(
            sa.text("UPDATE audit_entry SET seq = :b WHERE seq = -1"), {"b": second}
        )
    async with api.db.read_sessions() as session:
        checked, broken = await verify_chain(session)
    assert broken is not None
    assert broken.seq == first
    assert checked == first - 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_chain_head SET seq = seq - 1",
        "UPDATE audit_chain_head SET seq = seq + 2",
        # One step on, but not onto the entry: there is no entry seq+1 yet.
        "UPDATE audit_chain_head SET seq = seq + 1",
        "UPDATE audit_chain_head SET hash = '" + "f" * 64 + "'",
        "UPDATE audit_chain_head SET keyed_from = keyed_from + 1",
        "DELETE FROM audit_chain_head",
        "INSERT INTO audit_chain_head (id, seq, hash, keyed_from) VALUES (2, 0, 'x', 1)",
    ],
)
async def test_the_chain_head_only_advances_onto_the_newest_entry(api: Api, statement: str) -> None:
    await _some_entries(api)
    with pytest.raises(DBAPIError, match="audit_chain_head only advances"):
        async with api.db.write() as session:
            await session.execute(sa.text(statement))


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_checkpoint SET hash = 'x'", "DELETE FROM audit_checkpoint"]
)
async def test_stored_checkpoints_are_append_only(db: Database, statement: str) -> None:
    async with db.write() as session:
        await session.execute(
            sa.text(
                "INSERT INTO audit_checkpoint (seq, entries, hash, keyed_from, time, signature) "
                "VALUES (0, 0, 'h', 1, 't', 's')"
            )
        )
    with pytest.raises(DBAPIError, match="audit_checkpoint is append-only"):
        async with db.write() as session:
            await session.execute(sa.text(statement))
