"""Errors as the client sees them: a stable code, a readable message, nothing internal.

Domain errors keep their message and get ``extensions.code``; GraphQL's own
parse and validation errors get GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED;
anything else is a bug: masked as INTERNAL with the request id, logged in full.
"""

from __future__ import annotations

import re

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from resolvers.context import RequestContext
from resolvers.errors import DomainError, ErrorCode

log = structlog.get_logger("jinlin.graphql")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
# graphql-core's suggestions (" Did you mean 'a', 'b', or 'c'?"), from validation and from
# coercing variables alike; production removes them, whichever step wrote them.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def request_id_of(context: object) -> str | None:
    return context.request_id if isinstance(context, RequestContext) else None


def is_internal(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, (DomainError, GraphQLError))


def make_client_safe(
    error: GraphQLError, request_id: str | None, hide_suggestions: bool = False
) -> None:
    """Give ERROR its stable code and client message, in place; HIDE_SUGGESTIONS removes
    every "Did you mean" (production shows no name of the schema it was not asked for).

    In place, because strawberry hands parse, validation and execution errors to
    Schema.process_errors on every path, but builds some results from other lists.
    """
    original = error.original_error
    if isinstance(original, DomainError):
        error.extensions = {"code": original.code.value, **original.details}
        error.message = original.message
    elif original is None or isinstance(original, GraphQLError):
        if hide_suggestions and "Did you mean" in error.message:
            error.message = _SUGGESTION.sub("", error.message)
            error.args = (error.message,)
        if "code" not in (error.extensions or {}):
            code = PARSE_FAILED if error.message.startswith("Syntax Error") else VALIDATION_FAILED
            error.extensions = {**(error.extensions or {}), "code": code}
        return
    else:
        error.extensions = {"code": ErrorCode.INTERNAL.value, "requestId": request_id}
        error.message = (
            f"Something went wrong on our side; quote request id {request_id} when reporting it."
        )
    # The cause has been logged or turned into the message: never let it reach the client.
    error.original_error = None
    error.args = (error.message,)


def handle_errors(
    errors: list[GraphQLError], request_id: str | None, hide_suggestions: bool = False
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
        make_client_safe(error, request_id, hide_suggestions)


class MaskedFieldsNote(SchemaExtension):
    """Adds `extensions.maskedFields` once per response when sensitive fields were nulled."""

    def get_results(self) -> dict[str, object]:
        context = self.execution_context.context
        if isinstance(context, RequestContext) and context.masked_fields:
            return {
                "maskedFields": {
                    "fields": sorted(context.masked_fields),
                    "reason": "You lack the permission these fields need; they are null.",
                }
            }
        return {}
