"""POST /uploads (a photo, as multipart/form-data field `file`) and GET of its signed links.

The upload answers an id that `reportIssue` / `commentOnIssue` take as `photo`; until then
the photo is its uploader's alone and expires. Its type and size are judged from its bytes,
and nothing is stored for a refused file. A link's signature carries the decision that its
holder may see the photo (resolvers/uploads/signing.py), so the GET needs no token.
"""

from __future__ import annotations

from typing import Any

import structlog
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.language import language, say
from app.settings import Settings
from app.signed_in import request_context, sign_in
from app.transport import PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, json_error
from app.unavailable import unavailable_response
from db.engine import Database, is_unavailable
from db.types import utcnow
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.errors import DomainError
from resolvers.i18n import tr, translate
from resolvers.tokens.actors import ActorCache
from resolvers.uploads.images import ImageRefused
from resolvers.uploads.photos import servable, store_photo
from resolvers.uploads.s3 import S3BlobStore
from resolvers.uploads.signing import Variant, link_expiry, link_valid, signed_path
from resolvers.uploads.storage import BlobStore, LocalBlobStore, StoreUnavailable
from resolvers.uploads.sweep import sweep_batch, thumbnail_key
from schema.ids import encode_id

log = structlog.get_logger("jinlin.uploads")
FIELD = "file"
# Room for the multipart framing around the file within the body limit.
FORM_OVERHEAD = 64 * 1024
_STATUS = {
    "UNAUTHENTICATED": 401,
    "BAD_USER_INPUT": 400,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "RATE_LIMITED": 429,
}


def blob_store(settings: Settings) -> BlobStore:
    """The S3-compatible store when a bucket is configured, else the local directory."""
    if settings.upload_s3_bucket:
        return S3BlobStore(
            settings.upload_s3_bucket,
            prefix=settings.upload_s3_prefix,
            endpoint_url=settings.upload_s3_endpoint,
            region=settings.upload_s3_region,
            timeout_seconds=settings.upload_s3_timeout_seconds,
        )
    return LocalBlobStore(settings.upload_dir)


def _store_down(error: StoreUnavailable, request_id: str, locale: str) -> Response:
    log.warning("photo store unavailable", request_id=request_id, error=repr(error.__cause__))
    return unavailable_response(request_id, locale, error)


def upload_body_limit(settings: Settings) -> int:
    return settings.upload_max_bytes + FORM_OVERHEAD


def _refused(error: DomainError, locale: str) -> Response:
    message = translate(error.text, locale)
    if isinstance(error, ImageRefused):
        code = UNSUPPORTED_MEDIA_TYPE if error.status == 415 else error.code.value
        return json_error(error.status, code, message, reason=error.reason)
    status = _STATUS.get(error.code.value, 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return json_error(status, error.code.value, message, headers=headers)


async def _file_bytes(request: Request, max_bytes: int) -> bytes | Response:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "multipart/form-data":
        return json_error(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            say(
                tr(
                    "POST /uploads takes multipart/form-data with the photo in the field "
                    "'{field}'.",
                    field=FIELD,
                ),
                request.scope,
            ),
        )
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get(FIELD)
        if not isinstance(upload, UploadFile):
            refusal = tr("Send the photo in the form field '{field}'.", field=FIELD)
            return json_error(400, "BAD_USER_INPUT", say(refusal, request.scope))
        data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        return json_error(
            413,
            PAYLOAD_TOO_LARGE,
            say(tr("The photo is larger than {limit} bytes.", limit=max_bytes), request.scope),
            maximum=max_bytes,
            reason="PHOTO_TOO_LARGE",
        )
    return data


def _answer(upload: Any, secret_key: str) -> dict[str, Any]:
    links = link_expiry()
    return {
        "id": encode_id("Photo", upload.id),
        "contentType": upload.content_type,
        "byteSize": upload.byte_size,
        "width": upload.width,
        "height": upload.height,
        "sha256": upload.sha256,
        "expiresAt": upload.expires_at.isoformat(),
        "url": signed_path(secret_key, upload.id, Variant.PHOTO, links),
        "thumbnailUrl": signed_path(secret_key, upload.id, Variant.THUMBNAIL, links),
        "linksExpireAt": links.isoformat(),
    }


def upload_endpoints(
    settings: Settings, db: Database, actors: ActorCache, store: BlobStore | None = None
) -> tuple[Any, Any]:
    """The POST /uploads and GET /uploads/{id}/{variant} handlers over STORE (by default the
    one the settings name)."""
    blobs: BlobStore = store or blob_store(settings)
    secret_key = settings.secret_key

    async def upload(request: Request) -> Response:
        if request.method != "POST":
            refusal = say(tr("POST a photo."), request.scope)
            return json_error(405, "METHOD_NOT_ALLOWED", refusal, headers={"Allow": "POST"})
        ctx = request_context(request, db)
        try:
            await sign_in(request, ctx, secret_key, actors)
            data = await _file_bytes(request, settings.upload_max_bytes)
            if isinstance(data, Response):
                return data
            stored = await store_photo(
                ctx,
                blobs,
                data,
                max_pixels=settings.upload_max_pixels,
                unattached_hours=settings.upload_unattached_hours,
            )
            try:
                # One batch per upload keeps a deployment without `jinlin worker` tidy.
                await sweep_batch(db, blobs)
            except Exception:  # the sweep is housekeeping; the upload stands
                log.warning("upload sweep failed", exc_info=True)
            return JSONResponse(_answer(stored, secret_key), status_code=201)
        except StoreUnavailable as error:
            return _store_down(error, ctx.request_id, ctx.locale)
        except DomainError as error:
            return _refused(error, ctx.locale)
        except Exception as error:
            if is_unavailable(error):
                return unavailable_response(ctx.request_id, ctx.locale)
            raise
        finally:
            await ctx.close()

    async def serve(request: Request) -> Response:
        try:
            variant = Variant(request.path_params["variant"])
        except ValueError:
            return json_error(404, "NOT_FOUND", say(tr("No such photo."), request.scope))
        upload_id: int = request.path_params["id"]
        expires = request.query_params.get("expires", "")
        given = request.query_params.get("signature", "")
        if not link_valid(secret_key, upload_id, variant, expires, given):
            refusal = tr("This link is not valid or has expired; ask for the photo again.")
            return json_error(403, "FORBIDDEN", say(refusal, request.scope))
        ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="-")
        try:
            row = await servable(ctx, upload_id)
        finally:
            await ctx.close()
        if row is None:
            return json_error(404, "NOT_FOUND", say(tr("No such photo."), request.scope))
        thumb = variant is Variant.THUMBNAIL
        key = thumbnail_key(row.storage_key) if thumb else row.storage_key
        try:
            data = await blobs.get(key)
        except StoreUnavailable as error:
            state = request.scope.get("state", {})
            return _store_down(error, state.get("request_id", "-"), language(request.scope))
        if data is None:
            return json_error(404, "NOT_FOUND", say(tr("No such photo."), request.scope))
        remaining = max(0, int(expires) - int(utcnow().timestamp()))
        return Response(
            data,
            media_type=row.thumbnail_content_type if thumb else row.content_type,
            headers={
                "Cache-Control": f"private, max-age={remaining}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    return upload, serve
