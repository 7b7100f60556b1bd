"""The running app signs audit checkpoints by itself and writes them outside the database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.factory import create_app
from app.settings import Settings
from db.checkpoints import read_file, signature_valid
from tests.conftest import SECRET_KEY
from tests.db.test_audit_store import _some_entries
from tests.helpers import Api


async def test_the_app_takes_checkpoints_while_it_runs(
    api: Api, database_url: str, tmp_path: Path
) -> None:
    sink = tmp_path / "checkpoints.jsonl"
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        audit_checkpoint_file=str(sink),
        audit_checkpoint_every_entries=3,
        audit_checkpoint_every_minutes=0.001,
    )
    app = create_app(settings, database=api.db)
    await _some_entries(api)
    async with app.router.lifespan_context(app):
        for _ in range(100):
            await asyncio.sleep(0.05)
            if sink.exists():
                break
    (checkpoint,) = read_file(sink)
    assert checkpoint.seq == len(await api.audit_entries())
    assert signature_valid(checkpoint, settings.audit_checkpoint_key().public_key())
