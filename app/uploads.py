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

from app.settings import Settings
from app.signed_in import request_context, sign_in
from app.transport import PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, json_error
from app.unavailable import unavailable_response
from db.engine import Database, is_unavailable
from db.types import utcnow
from policies.actor import ANONYMOUS
from resolvers.context import RequestContext
from resolvers.errors import DomainError
from resolvers.tokens.actors import ActorCache
from resolvers.uploads.images import ImageRefused
from resolvers.uploads.photos import servable, store_photo, sweep_unattached, thumbnail_key
from resolvers.uploads.signing import Variant, link_expiry, link_valid, signed_path
from resolvers.uploads.storage import BlobStore, LocalBlobStore
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


def upload_body_limit(settings: Settings) -> int:
    return settings.upload_max_bytes + FORM_OVERHEAD


def _refused(error: DomainError) -> Response:
    if isinstance(error, ImageRefused):
        code = UNSUPPORTED_MEDIA_TYPE if error.status == 415 else error.code.value
        return json_error(error.status, code, error.message, reason=error.reason)
    status = _STATUS.get(error.code.value, 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return json_error(status, error.code.value, error.message, headers=headers)


async def _file_bytes(request: Request, max_bytes: int) -> bytes | Response:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "multipart/form-data":
        return json_error(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            f"POST /uploads takes multipart/form-data with the photo in the field '{FIELD}'.",
        )
    async with request.form(max_files=1, max_fields=4) as form:
        upload = form.get(FIELD)
        if not isinstance(upload, UploadFile):
            return json_error(400, "BAD_USER_INPUT", f"Send the photo in the form field '{FIELD}'.")
        data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        return json_error(
            413,
            PAYLOAD_TOO_LARGE,
            f"The photo is larger than {max_bytes} bytes.",
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
    """The POST /uploads and GET /uploads/{id}/{variant} handlers over STORE (local disk)."""
    blobs: BlobStore = store or LocalBlobStore(settings.upload_dir)
    secret_key = settings.secret_key

    async def upload(request: Request) -> Response:
        if request.method != "POST":
            return json_error(405, "METHOD_NOT_ALLOWED", "POST a photo.", headers={"Allow": "POST"})
        ctx = request_context(request, db)
        try:
            await sign_in(request, ctx, secret_key, actors)
            data = await _file_bytes(request, settings.upload_max_bytes)
            if isinstance(data, Response):
                return data
            stored = await store_photo(ctx, blobs, data, max_pixels=settings.upload_max_pixels)
            try:
                await sweep_unattached(ctx, blobs)
            except Exception:  # the sweep is housekeeping; the upload stands
                log.warning("upload sweep failed", exc_info=True)
            return JSONResponse(_answer(stored, secret_key), status_code=201)
        except DomainError as error:
            return _refused(error)
        except Exception as error:
            if is_unavailable(error):
                return unavailable_response(ctx.request_id)
            raise
        finally:
            await ctx.close()

    async def serve(request: Request) -> Response:
        try:
            variant = Variant(request.path_params["variant"])
        except ValueError:
            return json_error(404, "NOT_FOUND", "No such photo.")
        upload_id: int = request.path_params["id"]
        expires = request.query_params.get("expires", "")
        given = request.query_params.get("signature", "")
        if not link_valid(secret_key, upload_id, variant, expires, given):
            return json_error(
                403, "FORBIDDEN", "This link is not valid or has expired; ask for the photo again."
            )
        ctx = RequestContext(db=db, actor=ANONYMOUS, request_id="-")
        try:
            row = await servable(ctx, upload_id)
        finally:
            await ctx.close()
        if row is None:
            return json_error(404, "NOT_FOUND", "No such photo.")
        thumb = variant is Variant.THUMBNAIL
        key = thumbnail_key(row.storage_key) if thumb else row.storage_key
        data = await blobs.get(key)
        if data is None:
            return json_error(404, "NOT_FOUND", "No such photo.")
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
