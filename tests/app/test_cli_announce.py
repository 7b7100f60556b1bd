"""`jinlin token announce-expiring`: the sweep of tokens about to expire, once per expiry."""

from __future__ import annotations

from pathlib import Path

from app.cli import cli
from tests.app.cli_runs import runner


def test_announce_expiring_writes_each_expiry_once(seeded_database: Path) -> None:
    issued = runner.invoke(
        cli, ["token", "issue", "--person", "1", "--name", "soon", "--days", "3"]
    )
    assert issued.exit_code == 0, issued.output
    first = runner.invoke(cli, ["token", "announce-expiring", "--days", "7"])
    assert first.exit_code == 0, first.output
    assert int(first.stdout.split()[-1]) >= 1
    again = runner.invoke(cli, ["token", "announce-expiring", "--days", "7"])
    assert again.stdout.strip() == "announced 0"
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
