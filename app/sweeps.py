"""The sweeps: photo uploads nobody attached in time (resolvers/uploads/sweep.py) and the
mobilisations past their deadline (resolvers/mobilisation/sweep.py), each a pass repeated
until told to stop.

Every `jinlin worker` runs them, and so does every `jinlin serve` process for its life
unless JINLIN_SWEEPS_IN_SERVE is off (a deployment with workers may leave them to those):
a serve-only deployment closes its calls on time. Any number may run at once: each pass
takes only the rows it can lock and changes them only if still due, so a call is closed
once, with one audit entry, whichever sweeper gets it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog

from app.settings import Settings
from app.uploads import blob_store
from db.engine import Database
from resolvers.mobilisation.sweep import close_past_deadline
from resolvers.uploads.sweep import sweep_unattached

log = structlog.get_logger("jinlin.sweeps")


async def repeating(
    one_pass: Callable[[], Awaitable[object]],
    seconds: float,
    stop: asyncio.Event,
    *,
    failure: str,
    log: structlog.typing.FilteringBoundLogger,
) -> None:
    """Run ONE_PASS every SECONDS until STOP; a failing pass is logged (FAILURE, with its
    exception) and tried again next time."""
    while not stop.is_set():
        try:
            await one_pass()
        except Exception:
            log.exception(failure)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


async def sweeping(settings: Settings, db: Database, stop: asyncio.Event) -> None:
    """Sweep uploads every JINLIN_UPLOAD_SWEEP_SECONDS until STOP; a failing pass (the
    database or the store away) is logged and tried again next time."""
    store = blob_store(settings)
    await repeating(
        lambda: sweep_unattached(db, store),
        settings.upload_sweep_seconds,
        stop,
        failure="upload sweep failed",
        log=log,
    )


async def closing_calls(settings: Settings, db: Database, stop: asyncio.Event) -> None:
    """Close the mobilisations past their deadline every JINLIN_MOBILISATION_SWEEP_SECONDS
    until STOP; a failing pass is logged and tried again next time."""
    await repeating(
        lambda: close_past_deadline(db),
        settings.mobilisation_sweep_seconds,
        stop,
        failure="mobilisation sweep failed",
        log=log,
    )


async def sweeps(settings: Settings, db: Database, stop: asyncio.Event) -> None:
    """Both sweeps, until STOP."""
    await asyncio.gather(sweeping(settings, db, stop), closing_calls(settings, db, stop))


# How long shutdown waits for a pass under way to end before cancelling it.
STOP_SECONDS = 10.0


@asynccontextmanager
async def sweeping_in_serve(settings: Settings, db: Database) -> AsyncIterator[None]:
    """For the life of the app, unless JINLIN_SWEEPS_IN_SERVE is off: the sweeps, in a
    task stopped at shutdown. A pass under way may end first (within STOP_SECONDS; one
    cancelled after that rolls back, and the next sweeper does its work)."""
    if not settings.sweeps_in_serve:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(sweeps(settings, db, stop), name="sweeps")
    try:
        yield
    finally:
        stop.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(task, STOP_SECONDS)
