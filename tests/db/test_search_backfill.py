"""Migration 0016 folds the issues that were there before it (on a database of its own)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from db import migrate


def test_existing_issues_are_folded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/backfill.db"
    migrate.upgrade(url, "0015")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            # Foreign keys are not enforced on this bare connection: the row stands alone.
            connection.execute(
                sa.text(
                    "INSERT INTO issue (id, compound_id, reporter_id, channel, category,"
                    " priority, priority_rank, title, description, status, due_at, created_at,"
                    " updated_at, version) VALUES (1, 1, 1, 'HOTLINE', 'OTHER', 'NORMAL', 1,"
                    " '電梯ＡＢＣ', 'Noisy', 'REPORTED', '2026-01-01 00:00:00',"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)"
                )
            )
        migrate.upgrade(url)
        with engine.connect() as connection:
            folded = connection.execute(sa.text("SELECT search_text FROM issue")).scalar()
    finally:
        engine.dispose()
    assert folded == "电梯abc\nnoisy"
