"""Transport rules: GraphQL-shaped JSON errors, the accepted media type, the body size limit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.language import say
from app.observability import note_error
from resolvers.i18n import tr

UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
BAD_REQUEST = "BAD_REQUEST"
NOT_FOUND = "NOT_FOUND"
TIMEOUT = "TIMEOUT"


def json_error(
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JSONResponse(body, status_code=status, headers=headers)


def is_json_media_type(content_type: str | None) -> bool:
    """`application/json`, with at most a UTF-8 charset parameter."""
    if not content_type:
        return False
    media_type, *parameters = (part.strip() for part in content_type.split(";"))
    if media_type.lower() != "application/json":
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset" or value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True


class BodyTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuses bodies above MAX_BYTES with 413: by Content-Length up front, or while streaming.

    PER_PATH gives an exact path a limit of its own (a photo upload is larger than any
    GraphQL document)."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, per_path: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = dict(per_path or {})

    def _refusal(self, limit: int, scope: Scope) -> JSONResponse:
        return json_error(
            413,
            PAYLOAD_TOO_LARGE,
            say(tr("The request body is larger than {limit} bytes.", limit=limit), scope),
            maximum=limit,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.per_path.get(scope.get("path", ""), self.max_bytes)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            note_error(scope, PAYLOAD_TOO_LARGE)
            await self._refusal(limit, scope)(scope, receive, send)
            return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:  # too late for a clean answer; drop the connection
                raise
            note_error(scope, PAYLOAD_TOO_LARGE)
            await self._refusal(limit, scope)(scope, receive, send)
