"""503 UNAVAILABLE: how requests are answered while the database cannot be reached.

Errors inside an operation become GraphQL errors with code UNAVAILABLE (schema/errors.py);
this module turns such a result, or a failure before any operation ran (authenticating
the bearer token), into an HTTP 503 with Retry-After, so clients and proxies retry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import GraphQLError
from starlette.responses import JSONResponse

from app.transport import json_error
from resolvers.errors import ErrorCode, Unavailable
from resolvers.i18n import DEFAULT_LOCALE, translate


def retry_after_of(errors: Iterable[GraphQLError] | None) -> int | None:
    """The Retry-After of the first UNAVAILABLE error among ERRORS, None if there is none."""
    for error in errors or ():
        extensions: dict[str, Any] = error.extensions or {}
        if extensions.get("code") == ErrorCode.UNAVAILABLE.value:
            retry = extensions.get("retryAfter")
            return retry if isinstance(retry, int) else Unavailable().retry_after
    return None


def unavailable_response(
    request_id: str, locale: str = DEFAULT_LOCALE, error: Unavailable | None = None
) -> JSONResponse:
    """The GraphQL-shaped 503 for a request that could not reach the database (or ERROR's
    service, such as the photo store)."""
    error = error or Unavailable()
    return json_error(
        503,
        error.code.value,
        translate(error.text, locale),
        headers={"Retry-After": str(error.retry_after)},
        requestId=request_id,
        **error.details,
    )


def stopped_response(request_id: str) -> JSONResponse:
    """The 503 for a request the server stopped as it shut down. A mutation reaches the
    shutdown grace only after its own timeout cancelled it (its work rolled back) and its
    refusal entry could not be written since; whether its change was made is then for the
    caller to look at, not to assume, before repeating it."""
    error = Unavailable()
    return json_error(
        503,
        error.code.value,
        "The server shut down before this request finished. Look whether a change it "
        f"asked for was made before repeating it (request id {request_id}).",
        headers={"Retry-After": str(error.retry_after)},
        requestId=request_id,
        **error.details,
    )
