"""Errors as the client sees them: a stable code, a readable message, nothing internal.

Domain errors get their message in the request's language and ``extensions.code``; GraphQL's own
parse and validation errors get GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED;
an unreachable database is UNAVAILABLE (the client may retry, the app answers 503);
anything else is a bug: masked as INTERNAL with the request id, logged in full.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from db.engine import is_unavailable
from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode, Unavailable
from resolvers.i18n import DEFAULT_LOCALE, tr, translate
from schema.error_text import text_of
from schema.graphql_messages import graphql_text

log = structlog.get_logger("jinlin.graphql")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
# graphql-core's suggestions (" Did you mean 'a', 'b', or 'c'?"), from validation and from
# coercing variables alike; production removes them, whichever step wrote them.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
# graphql-core writes English: an English reader gets its words exactly as written.
ENGLISH = "en"


def request_id_of(context: object) -> str | None:
    return context.request_id if isinstance(context, RequestContext) else None


def locale_of(context: object) -> str:
    return context.locale if isinstance(context, RequestContext) else DEFAULT_LOCALE


def is_internal(error: GraphQLError) -> bool:
    original = error.original_error
    return (
        original is not None
        and not isinstance(original, (DomainError, GraphQLError))
        and not is_unavailable(original)
    )


def make_client_safe(
    error: GraphQLError,
    request_id: str | None,
    hide_suggestions: bool = False,
    locale: str = DEFAULT_LOCALE,
) -> None:
    """Give ERROR its stable code and client message (in LOCALE), in place; HIDE_SUGGESTIONS
    removes every "Did you mean" (production shows no name of the schema it was not asked for).

    In place, because strawberry hands parse, validation and execution errors to
    Schema.process_errors on every path, but builds some results from other lists.
    """
    original = error.original_error
    if is_unavailable(original):
        original = Unavailable()
    if isinstance(original, DomainError):
        error.extensions = with_legacy_keys({"code": original.code.value, **original.details})
        error.message = translate(original.text, locale)
    elif original is None or isinstance(original, GraphQLError):
        text = text_of(error)
        if text is not None:
            error.message = translate(text, locale)
        # graphql-core's own English: its suggestions go first (in English, as they are
        # found), its code is read from it, and only then is it written in LOCALE.
        if hide_suggestions and "Did you mean" in error.message:
            error.message = _SUGGESTION.sub("", error.message)
        if "code" not in (error.extensions or {}):
            code = PARSE_FAILED if error.message.startswith("Syntax Error") else VALIDATION_FAILED
            error.extensions = {**(error.extensions or {}), "code": code}
        if text is None and locale != ENGLISH:
            error.message = translate(graphql_text(error.message) or error.message, locale)
        error.args = (error.message,)
        return
    else:
        error.extensions = {"code": ErrorCode.INTERNAL.value, "requestId": request_id}
        error.message = translate(
            tr(
                "Something went wrong on our side; quote request id {request_id} when "
                "reporting it.",
                request_id=str(request_id),
            ),
            locale,
        )
    # The cause has been logged or turned into the message: never let it reach the client.
    error.original_error = None
    error.args = (error.message,)


# Extension keys are camelCase; these three were first given out in snake_case and are
# still sent under that name too, deprecated (README "Errors"), until clients have moved.
DEPRECATED_EXTENSION_KEYS = {
    "currentVersion": "current_version",
    "currentStatus": "current_status",
    "allowedNext": "allowed_next",
}


def with_legacy_keys(extensions: dict[str, Any]) -> dict[str, Any]:
    """EXTENSIONS with each deprecated snake_case key beside its camelCase one."""
    legacy = {
        old: extensions[new] for new, old in DEPRECATED_EXTENSION_KEYS.items() if new in extensions
    }
    return {**extensions, **legacy}


def handle_errors(
    errors: list[GraphQLError],
    request_id: str | None,
    hide_suggestions: bool = False,
    locale: str = DEFAULT_LOCALE,
) -> None:
    """Log unexpected errors in full, then make every error client-safe."""
    for error in errors:
        if is_internal(error):
            original = error.original_error
            log.error(
                "unexpected error",
                request_id=request_id,
                path=error.path,
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
        elif is_unavailable(error.original_error):
            # Expected while the database is down: a warning naming the cause, not a trace.
            log.warning(
                "database unavailable",
                request_id=request_id,
                path=error.path,
                error=str(error.original_error).splitlines()[0],
            )
        make_client_safe(error, request_id, hide_suggestions, locale)


class MaskedFieldsNote(SchemaExtension):
    """Adds `extensions.maskedFields` once per response when sensitive fields were nulled."""

    def get_results(self) -> dict[str, object]:
        context = self.execution_context.context
        if isinstance(context, RequestContext) and context.masked_fields:
            return {
                "maskedFields": {
                    "fields": sorted(context.masked_fields),
                    "reason": translate(
                        tr("You lack the permission these fields need; they are null."),
                        context.locale,
                    ),
                }
            }
        return {}
