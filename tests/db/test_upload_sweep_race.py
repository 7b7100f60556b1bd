"""An attach and the sweep at the same moment, on real connections and committed
transactions: the attach that holds the row keeps its photo, bytes and all."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import col

from db.models import IssueEvent, Person, Upload
from db.types import utcnow
from resolvers.uploads.storage import LocalBlobStore
from resolvers.uploads.sweep import OPERATION, sweep_unattached, thumbnail_key
from tests.helpers import Api
from tests.issue_helpers import entries_since, last_seq
from tests.photo_helpers import files_under

# CI runs this module through PgBouncer in transaction mode too (.ci/run).
pytestmark = pytest.mark.pgbouncer


async def test_an_attach_holding_the_row_wins_over_the_sweep(
    committed: Api, tmp_path: Path
) -> None:
    db = committed.db
    store = LocalBlobStore(tmp_path)
    key = secrets.token_hex(16)
    await store.put(key, b"photo", "image/jpeg")
    await store.put(thumbnail_key(key), b"thumb", "image/webp")
    async with db.write() as session:
        person = (await session.execute(sa.select(col(Person.id)).limit(1))).scalar_one()
        event_id, issue_id = (
            await session.execute(sa.select(col(IssueEvent.id), col(IssueEvent.issue_id)).limit(1))
        ).one()
        # Past its expiry: the attach below checked it a moment before that passed.
        upload = Upload(
            uploader_person_id=person,
            storage_key=key,
            content_type="image/jpeg",
            byte_size=5,
            sha256="0" * 64,
            width=1,
            height=1,
            thumbnail_content_type="image/webp",
            expires_at=utcnow() - timedelta(minutes=1),
        )
        session.add(upload)
        await session.flush()
        upload_id = upload.id
    try:
        async with db.write() as session:
            # The attach holds the row's lock, as attach_photo does; the sweep starts meanwhile.
            locked = await session.execute(
                sa.select(Upload).where(col(Upload.id) == upload_id).with_for_update()
            )
            attaching = locked.scalar_one()
            seq = await last_seq(committed)
            sweeping = asyncio.create_task(sweep_unattached(db, store))
            await asyncio.sleep(0.3)
            assert not sweeping.done() or sweeping.result() == 0
            attaching.issue_event_id = event_id
            attaching.issue_id = issue_id
        assert await asyncio.wait_for(sweeping, 30) == 0
        async with db.read_sessions() as session:
            kept = await session.get(Upload, upload_id)
            assert kept is not None and kept.issue_event_id == event_id
        assert len(files_under(tmp_path)) == 2  # the attached photo keeps its bytes
        # A sweep that got no row swept nothing, and says nothing in the audit log.
        assert [e for e in await entries_since(committed, seq) if e.operation == OPERATION] == []
    finally:
        async with db.write() as session:
            await session.execute(sa.delete(Upload).where(col(Upload.id) == upload_id))
