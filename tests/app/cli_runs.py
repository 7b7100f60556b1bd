"""The command line run in process (typer's runner), for the tests of `jinlin` commands."""

from __future__ import annotations

from typer.testing import CliRunner

runner = CliRunner()
