"""Errors a caller can act on, each with a stable code.

Resolvers raise these; the schema turns them into GraphQL errors with
``extensions.code``. Anything else is a bug and is masked for the client. The message is
marked for translation (``tr``) and written in the caller's language only when the error is
formatted for the response; ``message`` is its English, for logs and the audit log.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from resolvers.i18n import Text, tr


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


class DomainError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: Text, **details: Any) -> None:
        super().__init__(str(message))
        self.text = message
        self.message = str(message)
        self.details = details


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED

    def __init__(self, message: Text | None = None) -> None:
        super().__init__(message or tr("Sign in: send 'Authorization: Bearer <token>'."))


class Forbidden(DomainError):
    code = ErrorCode.FORBIDDEN


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class NotVisible(NotFound):
    """The row exists but lies outside the caller's scope.

    The caller is told NOT_FOUND, exactly as for a missing row (so existence does
    not leak), while the audit log records the attempt as a denial.
    """


class BadUserInput(DomainError):
    code = ErrorCode.BAD_USER_INPUT


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


# Seconds a client is asked to wait before retrying when the database is unreachable.
UNAVAILABLE_RETRY_AFTER = 5


class Unavailable(DomainError):
    """The database cannot be reached now: nothing is wrong with the request, retry later."""

    code = ErrorCode.UNAVAILABLE

    def __init__(self, retry_after: int = UNAVAILABLE_RETRY_AFTER) -> None:
        super().__init__(
            tr(
                "The database cannot be reached right now; try again in {seconds} seconds.",
                seconds=retry_after,
            ),
            retryAfter=retry_after,
        )
        self.retry_after = retry_after
