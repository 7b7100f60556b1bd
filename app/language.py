"""The language of a plain HTTP answer (transport refusals, uploads): the request's
Accept-Language, as /graphql negotiates it for the operations it runs."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Scope

from resolvers.i18n import Text, negotiate, translate


def language(scope: Scope) -> str:
    return negotiate(Headers(scope=scope).get("accept-language"))


def say(text: Text, scope: Scope) -> str:
    """TEXT in the language of the request SCOPE belongs to."""
    return translate(text, language(scope))
