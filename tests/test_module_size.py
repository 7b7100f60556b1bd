"""Modules stay small enough to read in one sitting: at most 400 lines each, outside the
migrations (which Alembic writes and nobody edits) and the tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "schema", "resolvers", "policies", "db", "demo")
MAX_LINES = 400


def test_every_module_is_at_most_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for lines in (len(path.read_text(encoding="utf-8").splitlines()),)
        if lines > MAX_LINES
    }
    assert long == {}, f"split these by concern: {long}"
