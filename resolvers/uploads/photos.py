"""Upload rows: storing a cleaned photo for its uploader, attaching one to a timeline entry,
and reading them back (the unclaimed ones are swept by resolvers/uploads/sweep.py)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import Issue, IssueEvent, Upload
from db.types import utcnow
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, DomainError, ErrorCode
from resolvers.i18n import tr
from resolvers.uploads.images import DEFAULT_MAX_PIXELS, THUMBNAIL_TYPE, clean_photo
from resolvers.uploads.storage import BlobStore
from resolvers.uploads.sweep import blob_keys, thumbnail_key

log = structlog.get_logger("jinlin.uploads")
# An upload nobody attached is deleted after this (JINLIN_UPLOAD_UNATTACHED_HOURS).
UNATTACHED_HOURS = 24.0
# Unattached uploads one person may hold at once: bounds the disk a token can fill.
MAX_PENDING = 20


class TooManyPending(DomainError):
    code = ErrorCode.RATE_LIMITED


async def _check_pending(ctx: RequestContext, uploader: int, unattached_hours: float) -> None:
    pending = await ctx.read(
        sa.select(sa.func.count())
        .select_from(Upload)
        .where(
            col(Upload.uploader_person_id) == uploader,
            col(Upload.issue_event_id).is_(None),
            col(Upload.expires_at) > utcnow(),
        )
    )
    if pending.scalar_one() >= MAX_PENDING:
        raise TooManyPending(
            tr(
                "You hold {MAX_PENDING} photos not yet attached to a report or comment; attach "
                "them, or wait until they expire ({UNATTACHED_HOURS} hours after upload).",
                MAX_PENDING=MAX_PENDING,
                UNATTACHED_HOURS=f"{unattached_hours:g}",
            )
        )


async def store_photo(
    ctx: RequestContext,
    store: BlobStore,
    data: bytes,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    unattached_hours: float = UNATTACHED_HOURS,
) -> Upload:
    """Clean DATA and keep it for the caller: ImageRefused (nothing stored) if it is no photo,
    StoreUnavailable (nothing stored) if the blob store cannot take it."""
    uploader = ctx.require_actor()
    await _check_pending(ctx, uploader, unattached_hours)
    photo = await asyncio.to_thread(clean_photo, data, max_pixels=max_pixels)
    key = secrets.token_hex(16)
    try:
        await store.put(key, photo.data, photo.content_type)
        await store.put(thumbnail_key(key), photo.thumbnail, THUMBNAIL_TYPE)
    except BaseException:
        await _forget(store, key)  # the photo may be in without its thumbnail
        raise
    now = utcnow()
    upload = Upload(
        uploader_person_id=uploader,
        storage_key=key,
        content_type=photo.content_type,
        byte_size=len(photo.data),
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        thumbnail_content_type=THUMBNAIL_TYPE,
        created_at=now,
        expires_at=now + timedelta(hours=unattached_hours),
    )
    try:
        await ctx.release_reads()
        async with ctx.db.write() as session:
            session.add(upload)
            await session.flush()
    except BaseException:
        await _forget(store, key)  # no row, no bytes
        raise
    await ctx.wrote()  # the uploader may fetch it at once, from any process
    log.info(
        "photo uploaded",
        upload_id=upload.id,
        sha256=upload.sha256,
        byte_size=upload.byte_size,
        content_type=upload.content_type,
        person_id=uploader,
    )
    return upload


async def _forget(store: BlobStore, key: str) -> None:
    """Best effort: the store that failed a put may fail this too (a key is random and
    never reused, so what stays behind is unreachable bytes, never another photo)."""
    try:
        await store.delete_many(blob_keys(key))
    except Exception:
        log.warning("could not delete the bytes of a failed upload", key=key, exc_info=True)


def audited_facts(upload: Upload) -> dict[str, Any]:
    """What the audit log keeps of a photo: never its bytes."""
    return {
        "sha256": upload.sha256,
        "size": upload.byte_size,
        "type": upload.content_type,
        "width": upload.width,
        "height": upload.height,
    }


async def attach_photo(
    session: AsyncSession,
    ctx: RequestContext,
    upload_id: int,
    issue: Issue,
    event: IssueEvent,
    record: AuditRecord,
) -> Upload:
    """Give the caller's unattached upload to EVENT, in the mutation's transaction."""
    found = await session.execute(
        sa.select(Upload).where(col(Upload.id) == upload_id).with_for_update()
    )
    upload = found.scalar_one_or_none()
    # Someone else's upload reads exactly like a missing one.
    if upload is None or upload.uploader_person_id != ctx.require_actor():
        raise BadUserInput(tr("There is no upload of yours with that id; upload the photo first."))
    if upload.issue_event_id is not None:
        raise BadUserInput(tr("That photo is already attached; upload it again to reuse it."))
    if upload.expires_at <= utcnow():
        raise BadUserInput(tr("That upload has expired; upload the photo again."))
    upload.issue_id = issue.id
    upload.issue_event_id = event.id
    record.change("photo", None, {"upload": upload.id, **audited_facts(upload)})
    return upload


async def for_events(ctx: RequestContext, event_ids: Sequence[int]) -> dict[int, Upload]:
    """The photo of each timeline entry that has one (the entries are already visible)."""
    if not event_ids:
        return {}
    rows: list[Upload] = await read_whole(
        ctx.read, sa.select(Upload).where(col(Upload.issue_event_id).in_(set(event_ids)))
    )
    return {upload.issue_event_id or 0: upload for upload in rows}


async def servable(ctx: RequestContext, upload_id: int) -> Upload | None:
    """The upload a valid link names, unless it was swept since."""
    rows: list[Upload] = await read_whole(
        ctx.read, sa.select(Upload).where(col(Upload.id) == upload_id)
    )
    return rows[0] if rows else None
