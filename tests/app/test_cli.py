"""The jinlin command line, on a database of its own."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from app.cli import cli
from app.cli.common import database
from app.settings import get_settings
from db.engine import is_sqlite
from demo.sample.city import TOKEN_ROLES
from tests.app.cli_runs import runner


def test_seed_demo_is_idempotent_and_writes_tokens(fresh_database: Path) -> None:
    out = fresh_database / "tokens.json"
    first = runner.invoke(cli, ["seed", "demo", "--tokens-out", str(out)])
    assert first.exit_code == 0, first.output
    payload = json.loads(out.read_text())
    assert set(payload["tokens"]) == {*TOKEN_ROLES, "partner", "partner_b"}
    assert all(t.startswith("jl_") for t in payload["tokens"].values())
    assert set(payload["ids"]) == {"compound_a", "compound_b", "compound_d"}
    again = runner.invoke(cli, ["seed", "demo"])
    assert again.exit_code == 0, again.output
    second = json.loads(again.stdout)
    assert second["ids"] == payload["ids"]  # the same city, not a second one
    assert second["tokens"]["secretary"] != payload["tokens"]["secretary"]
    verify = runner.invoke(cli, ["audit", "verify"])
    assert verify.exit_code == 0
    assert "chain intact" in verify.stdout


def test_schema_export_prints_the_sdl() -> None:
    result = runner.invoke(cli, ["schema", "export"])
    assert result.exit_code == 0
    assert "type Query" in result.stdout and "type Mutation" in result.stdout


def test_db_upgrade_reaches_head(fresh_database: Path) -> None:
    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output


def test_policy_matrix_prints_the_table() -> None:
    result = runner.invoke(cli, ["policy", "matrix"])
    assert "| person | read_id_number |" in result.stdout


def test_operator_issues_and_revokes_a_token_and_both_are_audited(seeded_database: Path) -> None:
    issued = runner.invoke(
        cli, ["token", "issue", "--person", "1", "--name", "laptop", "--days", "7"]
    )
    assert issued.exit_code == 0, issued.output
    secret = issued.stdout.strip()
    assert secret.startswith("jl_")
    listing = runner.invoke(cli, ["token", "list"]).stdout
    assert secret[:10] in listing and secret not in listing
    revoked = runner.invoke(cli, ["token", "revoke", secret[:10]])
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in runner.invoke(cli, ["token", "list"]).stdout.splitlines()[-1]
    again = runner.invoke(cli, ["token", "revoke", secret[:10]])
    assert again.exit_code == 2
    assert "already revoked" in again.output
    too_long = runner.invoke(
        cli, ["token", "issue", "--person", "1", "--name", "x", "--days", "999"]
    )
    assert too_long.exit_code == 2
    shown = [
        json.loads(line)
        for line in runner.invoke(cli, ["audit", "show", "--last", "4"]).stdout.splitlines()
    ]
    assert [(e["operation"], e["outcome"]) for e in shown] == [
        ("issueToken", "SUCCESS"),
        ("revokeToken", "SUCCESS"),
        ("revokeToken", "REJECTED"),
        ("issueToken", "REJECTED"),
    ]
    assert all(e["role"] == "operator" for e in shown)
    assert secret not in json.dumps(shown)
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_checkpoints_are_signed_and_verify_holds_the_log_to_them(
    seeded_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = seeded_database / "checkpoints.jsonl"
    monkeypatch.setenv("JINLIN_AUDIT_CHECKPOINT_FILE", str(book))
    get_settings.cache_clear()
    taken = runner.invoke(cli, ["audit", "checkpoint"])
    assert taken.exit_code == 0, taken.output
    checkpoint = json.loads(book.read_text().splitlines()[-1])
    assert json.loads(taken.stdout) == checkpoint
    assert checkpoint["seq"] == checkpoint["entries"] >= 8 and len(checkpoint["hash"]) == 64
    verified = runner.invoke(cli, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "1 signed checkpoints hold" in verified.stdout
    runner.invoke(cli, ["token", "issue", "--person", "1", "--name", "laptop", "--days", "7"])
    recent = runner.invoke(cli, ["audit", "verify", "--from-checkpoint"])
    assert recent.stdout.startswith(f"ok: 1 entries after entry {checkpoint['seq']}")
    forged = dict(checkpoint, seq=checkpoint["seq"] - 1)
    with book.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    refused = runner.invoke(cli, ["audit", "verify"])
    assert refused.exit_code == 1
    assert "signature is not valid" in refused.stdout
    assert runner.invoke(cli, ["audit", "public-key"]).stdout.strip()


def test_verify_names_the_first_entry_a_superuser_removed(
    seeded_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = seeded_database / "checkpoints.jsonl"
    monkeypatch.setenv("JINLIN_AUDIT_CHECKPOINT_FILE", str(book))
    get_settings.cache_clear()
    assert runner.invoke(cli, ["audit", "checkpoint"]).exit_code == 0
    # Entries, head and the stored checkpoints all go; the file outside keeps the evidence.
    with sqlite3.connect(seeded_database / "cli.db") as connection:
        for trigger in (
            "audit_entry_no_delete",
            "audit_chain_head_advance_only",
            "audit_checkpoint_no_delete",
        ):
            connection.execute(f"DROP TRIGGER {trigger}")
        connection.execute("DELETE FROM audit_entry")
        connection.execute("DELETE FROM audit_checkpoint")
        connection.execute("UPDATE audit_chain_head SET seq = 0, hash = ?", ("0" * 64,))
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert result.stdout.startswith("BROKEN at entry 1: entry 1 is missing")
    assert "(0 entries verified before it)" in result.stdout


def test_verify_from_the_checkpoint_names_an_entry_edited_after_it(
    seeded_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINLIN_AUDIT_CHECKPOINT_FILE", str(seeded_database / "checkpoints.jsonl"))
    get_settings.cache_clear()
    taken = runner.invoke(cli, ["audit", "checkpoint"])
    signed = json.loads(taken.stdout)["seq"]
    for name in ("laptop", "phone"):
        runner.invoke(cli, ["token", "issue", "--person", "1", "--name", name, "--days", "7"])
    with sqlite3.connect(seeded_database / "cli.db") as connection:
        connection.execute("DROP TRIGGER audit_entry_no_update")
        connection.execute("UPDATE audit_entry SET role = 'admin' WHERE seq = ?", (signed + 2,))
    recent = runner.invoke(cli, ["audit", "verify", "--from-checkpoint"])
    assert recent.exit_code == 1
    assert recent.stdout == (
        f"BROKEN at entry {signed + 2}: content does not match its hash "
        "(1 entries verified before it)\n"
    )
    whole = runner.invoke(cli, ["audit", "verify"])
    assert whole.stdout == (
        f"BROKEN at entry {signed + 2}: content does not match its hash "
        f"({signed + 1} entries verified before it)\n"
    )


def test_export_streams_every_entry(seeded_database: Path) -> None:
    out = seeded_database / "audit.jsonl"
    result = runner.invoke(cli, ["audit", "export", "--format", "jsonl", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [entry["seq"] for entry in lines] == list(range(1, len(lines) + 1))
    assert lines[0]["operation"] == "seedDemo"
    csv_out = runner.invoke(cli, ["audit", "export", "--format", "csv", "--from", "2000-01-01"])
    assert csv_out.exit_code == 0
    assert csv_out.stdout.splitlines()[0].startswith("\ufeffseq,occurred_at,operation")
    # A field may hold a line break (a multi-line comment), quoted as CSV quotes it.
    assert len(list(csv.reader(io.StringIO(csv_out.stdout)))) == len(lines) + 1
    assert "actor_name" in lines[-1] and lines[-1]["occurred_at_china"]
    xlsx = seeded_database / "audit.xlsx"
    filtered = runner.invoke(
        cli,
        ["audit", "export", "--format", "xlsx", "--operation", "seedDemo", "--out", str(xlsx)],
    )
    assert filtered.exit_code == 0, filtered.output
    workbook = openpyxl.load_workbook(xlsx, read_only=True)  # open until closed
    try:
        rows = list(workbook["audit"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert len(rows) > 1 and {row[2] for row in rows[1:]} == {"seedDemo"}
    unknown = runner.invoke(cli, ["audit", "export", "--operation", "claimissue"])
    assert unknown.exit_code == 2 and "claimIssue" in unknown.output


@pytest.mark.parametrize("pgbouncer", [False, True])
async def test_commands_behind_pgbouncer_prepare_no_statements(
    database_url: str, monkeypatch: pytest.MonkeyPatch, pgbouncer: bool
) -> None:
    """A command's transactions may land on different server connections behind PgBouncer,
    so with JINLIN_PGBOUNCER=1 it prepares nothing on the server (as the app does)."""
    if is_sqlite(database_url):
        pytest.skip("PostgreSQL's prepared statements")
    monkeypatch.setenv("JINLIN_PGBOUNCER", "1" if pgbouncer else "0")
    get_settings.cache_clear()
    try:
        async with database(database_url) as db, db.read_sessions() as session:
            connection = await session.connection()
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            assert (raw.prepare_threshold is None) is pgbouncer
    finally:
        get_settings.cache_clear()
