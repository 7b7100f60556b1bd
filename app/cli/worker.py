"""`jinlin worker`: the webhook dispatcher as a process of its own, the sweep of unattached
photo uploads (app/cli/uploads.py), and the closing of mobilisations at their deadline
(resolvers/mobilisation/sweep.py): the sweeps `serve` runs too unless JINLIN_SWEEPS_IN_SERVE
is off (app/sweeps.py).

Run as many as you like (beside `serve`, or with JINLIN_WEBHOOKS_IN_SERVE instead): they
share the work through the database and none holds state of its own, so stopping one at
any moment loses nothing (a delivery it was sending is sent again once its lease ends).
"""

from __future__ import annotations

import asyncio
import signal
from typing import Annotated

import typer

from app.cli.common import database
from app.settings import get_settings
from app.sweeps import sweeps
from app.uploads import blob_store
from app.webhooks import dispatcher
from resolvers.mobilisation.sweep import close_past_deadline
from resolvers.uploads.sweep import sweep_unattached


def worker(
    once: Annotated[
        bool,
        typer.Option(
            help="Make one pass (fan out, send what is due, sweep uploads, close the "
            "mobilisations past their deadline) and exit."
        ),
    ] = False,
) -> None:
    """Deliver webhooks (outbox events to the endpoints whose tokens may read them), sweep
    photo uploads nobody attached in time, and close mobilisations at their deadline."""
    asyncio.run(_work(once=once))


async def _work(*, once: bool) -> None:
    settings = get_settings()
    async with database(settings.database_url) as db:
        sender = dispatcher(settings, db)
        try:
            if once:
                done = await sender.run_once()
                typer.echo(f"fanned out {done.fanned_out}, attempted {done.attempted}", err=True)
                swept = await sweep_unattached(db, blob_store(settings))
                typer.echo(f"swept {swept} unattached uploads", err=True)
                closed = await close_past_deadline(db)
                typer.echo(f"closed {closed} mobilisations at their deadline", err=True)
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            # Woken by other processes' commits (the command's signal only published so far).
            await db.signal.start()
            await asyncio.gather(
                sender.run(poll_seconds=settings.webhook_poll_seconds, stop=stop),
                sweeps(settings, db, stop),
            )
        finally:
            await sender.aclose()
