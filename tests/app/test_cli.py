"""The jinlin command line, on a database of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.settings import get_settings
from db.demo import TOKEN_ROLES

runner = CliRunner()


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JINLIN_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_seed_demo_is_idempotent_and_writes_tokens(fresh_database: Path) -> None:
    out = fresh_database / "tokens.json"
    first = runner.invoke(cli, ["seed", "demo", "--tokens-out", str(out)])
    assert first.exit_code == 0, first.output
    payload = json.loads(out.read_text())
    assert set(payload["tokens"]) == set(TOKEN_ROLES)
    assert all(t.startswith("jl_") for t in payload["tokens"].values())
    assert set(payload["ids"]) == {"compound_a", "compound_b"}
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
