"""What the commands share: a database for the length of one command (the pass repeated
until a command is told to stop is app.sweeps.repeating, which `serve` runs too)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
