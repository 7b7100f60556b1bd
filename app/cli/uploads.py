"""`jinlin uploads sweep`, and the sweep loop `jinlin worker` runs beside the dispatcher.

Uploads nobody attached within JINLIN_UPLOAD_UNATTACHED_HOURS lose their bytes (local
directory or S3-compatible bucket) and their rows; each batch is audited as a system change
(resolvers/uploads/sweep.py). Any number of sweepers may run at once: each takes only the
rows it can lock.
"""

from __future__ import annotations

import asyncio

import structlog
import typer

from app.cli.common import database, repeating
from app.settings import Settings, get_settings
from app.uploads import blob_store
from db.engine import Database
from resolvers.uploads.sweep import sweep_unattached

log = structlog.get_logger("jinlin.uploads")

uploads_cli = typer.Typer(help="Photo uploads.", no_args_is_help=True)


@uploads_cli.command("sweep")
def sweep() -> None:
    """Delete the uploads nobody attached in time (bytes and rows), audited; then exit."""
    swept = asyncio.run(_sweep_once())
    typer.echo(f"swept {swept} unattached uploads", err=True)


async def _sweep_once() -> int:
    settings = get_settings()
    async with database(settings.database_url) as db:
        return await sweep_unattached(db, blob_store(settings))


async def sweeping(settings: Settings, db: Database, stop: asyncio.Event) -> None:
    """Sweep every JINLIN_UPLOAD_SWEEP_SECONDS until STOP; a failing pass (the database or
    the store away) is logged and tried again next time."""
    store = blob_store(settings)
    await repeating(
        lambda: sweep_unattached(db, store),
        settings.upload_sweep_seconds,
        stop,
        failure="upload sweep failed",
        log=log,
    )
