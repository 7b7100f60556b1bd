"""`jinlin serve` runs the sweeps for its life (app/sweeps.py): a serve-only deployment
closes a call at its deadline; JINLIN_SWEEPS_IN_SERVE off leaves them to `jinlin worker`;
shutdown stops them. On committed connections, as a server has them (the sweeps run beside
the test's own reads). Racing sweepers: tests/db/test_mobilisation_sweep_race.py."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import col

from app.factory import create_app
from app.settings import Settings
from db.models import Mobilisation, MobilisationStatus
from db.types import utcnow
from schema.ids import decode_id
from tests.conftest import SECRET_KEY
from tests.helpers import Api
from tests.mobilisation_helpers import send


async def _call_past_its_deadline(api: Api) -> int:
    call = decode_id((await send(api))["id"], "Mobilisation")
    async with api.db.write() as session:
        await session.execute(
            sa.update(Mobilisation)
            .where(col(Mobilisation.id) == call)
            .values(respond_by=utcnow() - timedelta(minutes=1))
        )
    return call


async def _status(api: Api, call: int) -> MobilisationStatus:
    return MobilisationStatus(
        await api.scalar(sa.select(col(Mobilisation.status)).where(col(Mobilisation.id) == call))
    )


def _sweeps() -> list[asyncio.Task[object]]:
    return [task for task in asyncio.all_tasks() if task.get_name() == "sweeps"]


def _settings(database_url: str, tmp_path: Path, *, sweeps: bool) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        upload_dir=str(tmp_path),
        sweeps_in_serve=sweeps,
        mobilisation_sweep_seconds=0.05,
    )


async def test_serve_closes_a_call_at_its_deadline_and_stops_at_shutdown(
    committed: Api, database_url: str, tmp_path: Path
) -> None:
    call = await _call_past_its_deadline(committed)
    app = create_app(_settings(database_url, tmp_path, sweeps=True), database=committed.db)
    async with app.router.lifespan_context(app):
        assert len(_sweeps()) == 1
        for _ in range(100):
            if await _status(committed, call) is MobilisationStatus.CLOSED:
                break
            await asyncio.sleep(0.05)
    assert await _status(committed, call) is MobilisationStatus.CLOSED
    assert _sweeps() == []


async def test_serve_leaves_the_sweeps_to_a_worker_when_told(
    committed: Api, database_url: str, tmp_path: Path
) -> None:
    call = await _call_past_its_deadline(committed)
    app = create_app(_settings(database_url, tmp_path, sweeps=False), database=committed.db)
    async with app.router.lifespan_context(app):
        assert _sweeps() == []
        await asyncio.sleep(0.2)
    assert await _status(committed, call) is MobilisationStatus.OPEN
