"""The sweep: uploads nobody attached within their window lose their bytes and their rows.

Audited as a change the server makes by itself (role "system", request id `upload-sweep-…`),
one entry per batch naming each upload's facts (never its bytes). Safe against an attach in
the same moment: attaching locks the row (resolvers/uploads/photos.py), the sweep takes only
rows it can lock without waiting (FOR UPDATE SKIP LOCKED) and still finds unattached and
expired under that lock, and it deletes the bytes before its transaction commits. So an
attach that got there first keeps its row and bytes; one that comes after finds no upload
(an expired upload is refused anyway). If deleting bytes fails, the transaction rolls back
and the rows wait for the next sweep: bytes are never orphaned without a row to find them,
and running the sweep again is harmless (deleting a missing key is no error). A sweep that
gets no row (attached meanwhile, or held by another sweeper) writes no entry.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import Database
from db.models import Upload
from db.types import utcnow
from resolvers.audited import AuditRecord, run_system_change
from resolvers.uploads.storage import BlobStore

log = structlog.get_logger("jinlin.uploads")

SOURCE = "upload-sweep"
OPERATION = "sweepUploads"
RESOURCE = "upload"
SWEEP_BATCH = 50


def thumbnail_key(storage_key: str) -> str:
    return f"{storage_key}.thumb"


def blob_keys(storage_key: str) -> list[str]:
    """Every key one upload occupies: the photo and its thumbnail."""
    return [storage_key, thumbnail_key(storage_key)]


def _sweepable(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(col(Upload.issue_event_id).is_(None), col(Upload.expires_at) < now)


async def sweep_batch(db: Database, store: BlobStore, *, batch: int = SWEEP_BATCH) -> int:
    """Sweep up to BATCH expired unattached uploads; how many were swept."""
    now = utcnow()
    async with db.read_sessions() as session:
        # A cheap look first: most calls find nothing and then write nothing, audit nothing.
        found = await session.execute(sa.select(col(Upload.id)).where(_sweepable(now)).limit(batch))
        if found.first() is None:
            return 0

    async def handler(session: AsyncSession, record: AuditRecord) -> int:
        locked = await session.execute(
            sa.select(Upload)
            .where(_sweepable(now))
            .order_by(col(Upload.expires_at))
            .limit(batch)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        uploads = list(locked.scalars())
        if not uploads:  # attached meanwhile, or another sweeper holds them: theirs to say
            record.moot = True
            return 0
        record.input["uploads"] = [
            {"id": u.id, "sha256": u.sha256, "size": u.byte_size, "type": u.content_type}
            for u in uploads
        ]
        record.input["count"] = len(uploads)
        await session.execute(sa.delete(Upload).where(col(Upload.id).in_([u.id for u in uploads])))
        # Before the commit, under the row locks: a failure rolls the rows back.
        await store.delete_many([key for u in uploads for key in blob_keys(u.storage_key)])
        return len(uploads)

    swept = await run_system_change(
        db,
        operation=OPERATION,
        resource_type=RESOURCE,
        input={"expired_before": now},
        handler=handler,
        source=SOURCE,
    )
    if swept:
        log.info("unattached uploads swept", count=swept)
    return swept


async def sweep_unattached(db: Database, store: BlobStore, *, batch: int = SWEEP_BATCH) -> int:
    """Sweep batches until none is left; how many uploads were swept in all."""
    total = 0
    while swept := await sweep_batch(db, store, batch=batch):
        total += swept
        if swept < batch:
            break
    return total
