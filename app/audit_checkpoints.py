"""The app's share of audit checkpoints: sign the chain head in the background."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from app.settings import Settings
from db.checkpoints import CheckpointPolicy, checkpoint_loop
from db.engine import Database


def checkpoint_policy(settings: Settings) -> CheckpointPolicy:
    return CheckpointPolicy(
        every_entries=settings.audit_checkpoint_every_entries,
        every_seconds=settings.audit_checkpoint_every_minutes * 60,
        sink=Path(settings.audit_checkpoint_file) if settings.audit_checkpoint_file else None,
    )


@asynccontextmanager
async def checkpointing(settings: Settings, db: Database) -> AsyncIterator[None]:
    """For the life of the app: a checkpoint every N entries and every M minutes."""
    task = asyncio.create_task(
        checkpoint_loop(db, settings.audit_checkpoint_key(), checkpoint_policy(settings)),
        name="audit-checkpoints",
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
