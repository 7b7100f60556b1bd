"""Sweeps racing for one call, on real connections and committed transactions: with the
sweep in every `serve` process and in `jinlin worker` too, several look at the same moment
and find the same call past its deadline; it is closed once, with one audit entry."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col

from db.models import Mobilisation, MobilisationStatus
from db.types import utcnow
from resolvers.mobilisation.sweep import OPERATION, close_past_deadline
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq
from tests.mobilisation_helpers import send

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer

SWEEPERS = 4


async def test_racing_sweeps_close_a_call_once_with_one_audit_entry(committed: Api) -> None:
    call = decode_id((await send(committed))["id"], "Mobilisation")
    async with committed.db.write() as session:
        await session.execute(
            sa.update(Mobilisation)
            .where(col(Mobilisation.id) == call)
            .values(respond_by=utcnow() - timedelta(minutes=1))
        )
    seq = await last_seq(committed)
    closed = await asyncio.gather(*(close_past_deadline(committed.db) for _ in range(SWEEPERS)))
    assert sum(closed) == 1, closed
    entries = [e for e in await entries_since(committed, seq) if e.operation == OPERATION]
    assert [(e.resource_id, e.outcome) for e in entries] == [(str(call), "SUCCESS")], [
        (e.resource_id, e.input) for e in entries
    ]
    async with committed.db.read_sessions() as session:
        status = await session.scalar(
            sa.select(col(Mobilisation.status)).where(col(Mobilisation.id) == call)
        )
    assert status == MobilisationStatus.CLOSED
