"""A GraphQL error of our own (document limits, operation choice) whose message is written in
the request's language when the response is made (schema/errors.py), like a domain error's.
Documents and their errors are cached across requests, so the words wait until then."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from resolvers.i18n import Text


class TextError(GraphQLError):
    def __init__(self, text: Text, *args: Any, **kwargs: Any) -> None:
        super().__init__(str(text), *args, **kwargs)
        self.text = text


def text_of(error: GraphQLError) -> Text | None:
    """The Text of ERROR, or of the error it wraps (an error raised while executing)."""
    for candidate in (error, error.original_error):
        if isinstance(candidate, TextError):
            return candidate.text
    return None
