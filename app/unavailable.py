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


def retry_after_of(errors: Iterable[GraphQLError] | None) -> int | None:
    """The Retry-After of the first UNAVAILABLE error among ERRORS, None if there is none."""
    for error in errors or ():
        extensions: dict[str, Any] = error.extensions or {}
        if extensions.get("code") == ErrorCode.UNAVAILABLE.value:
            retry = extensions.get("retryAfter")
            return retry if isinstance(retry, int) else Unavailable().retry_after
    return None


def unavailable_response(request_id: str) -> JSONResponse:
    """The GraphQL-shaped 503 for a request that could not reach the database."""
    error = Unavailable()
    return json_error(
        503,
        error.code.value,
        error.message,
        headers={"Retry-After": str(error.retry_after)},
        requestId=request_id,
        **error.details,
    )
