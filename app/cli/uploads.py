"""`jinlin uploads sweep`: one pass of the sweep `serve` and `worker` repeat (app/sweeps.py).

Uploads nobody attached within JINLIN_UPLOAD_UNATTACHED_HOURS lose their bytes (local
directory or S3-compatible bucket) and their rows; each batch is audited as a system change
(resolvers/uploads/sweep.py). Any number of sweepers may run at once: each takes only the
rows it can lock.
"""

from __future__ import annotations

import asyncio

import typer

from app.cli.common import database
from app.settings import get_settings
from app.uploads import blob_store
from resolvers.uploads.sweep import sweep_unattached

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
