"""What the commands share: a database for the length of one command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from db.engine import Database, create_engine


@asynccontextmanager
async def database(url: str) -> AsyncIterator[Database]:
    engine = create_engine(url)
    try:
        yield Database.from_engine(engine)
    finally:
        await engine.dispose()
