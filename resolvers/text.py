"""Free text from callers, trimmed and bounded the same way in every domain."""

from __future__ import annotations

from resolvers.errors import BadUserInput
from resolvers.i18n import Text, tr

MAX_TEXT = 2000


def clean_text(
    value: str | None, what: Text, *, required: bool, limit: int = MAX_TEXT
) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise BadUserInput(tr("The {what} must not be empty.", what=what))
        return None
    if len(text) > limit:
        raise BadUserInput(
            tr("The {what} must be at most {limit} characters.", what=what, limit=limit)
        )
    return text


def clean_name(name: str, what: Text | None = None) -> str:
    what = what or tr("name")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadUserInput(tr("The {what} must not be empty.", what=what))
    if len(cleaned) > 200:
        raise BadUserInput(tr("The {what} must be at most 200 characters.", what=what))
    return cleaned
