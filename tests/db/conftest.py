"""Fixtures for tests that need real, committed concurrency."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from db.engine import Database
from db.models import (
    Issue,
    IssueEvent,
    Mobilisation,
    MobilisationRecipient,
    OutboxEvent,
)
from tests.conftest import SECRET_KEY
from tests.helpers import Api


@pytest.fixture
async def committed(engine: AsyncEngine, demo: dict[str, Any]) -> AsyncIterator[Api]:
    """An Api over the real engine: every request its own connections, every write committed.
    Issues reported and mobilisations sent through it, and the outbox events written
    meanwhile, are deleted afterwards (a call left open would pass its deadline under a later
    test's clock)."""
    db = Database.from_engine(engine)
    api = Api(db=db, tokens=demo["tokens"], ids=demo["ids"], secret_key=SECRET_KEY)
    async with db.read_sessions() as session:
        before = (await session.execute(sa.select(sa.func.max(Issue.id)))).scalar() or 0
        events = (await session.execute(sa.select(sa.func.max(OutboxEvent.id)))).scalar() or 0
        calls = (await session.execute(sa.select(sa.func.max(Mobilisation.id)))).scalar() or 0
    try:
        yield api
    finally:
        async with db.write() as session:
            ours = sa.select(Issue.id).where(Issue.id > before)
            await session.execute(sa.delete(IssueEvent).where(IssueEvent.issue_id.in_(ours)))  # type: ignore[attr-defined]
            await session.execute(sa.delete(Issue).where(Issue.id > before))
            await session.execute(sa.delete(OutboxEvent).where(col(OutboxEvent.id) > events))
            await session.execute(
                sa.delete(MobilisationRecipient).where(
                    col(MobilisationRecipient.mobilisation_id) > calls
                )
            )
            await session.execute(sa.delete(Mobilisation).where(col(Mobilisation.id) > calls))
