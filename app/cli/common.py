"""What the commands share: a database for the length of one command, and a pass repeated
until a command is told to stop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import structlog

from app.settings import get_settings
from db.engine import Database, PoolOptions, create_engine
from db.outbox_signal import signal_for


@asynccontextmanager
async def database(url: str) -> AsyncIterator[Database]:
    # Behind PgBouncer a command, like the app, must not prepare statements on the server.
    engine = create_engine(url, pool=PoolOptions(pgbouncer=get_settings().pgbouncer))
    db = Database.from_engine(engine)
    # Events a command writes (token.expiring, webhook.disabled) wake the app's live feeds;
    # a command only publishes, it listens to nobody.
    settings = get_settings()
    db.signal = signal_for(url, settings.redis_url, pgbouncer=settings.pgbouncer)
    try:
        yield db
    finally:
        await db.signal.close()
        await engine.dispose()


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
