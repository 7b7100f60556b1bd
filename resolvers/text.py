"""Free text from callers, trimmed and bounded the same way in every domain."""

from __future__ import annotations

from resolvers.errors import BadUserInput

MAX_TEXT = 2000


def clean_text(
    value: str | None, what: str, *, required: bool, limit: int = MAX_TEXT
) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise BadUserInput(f"The {what} must not be empty.")
        return None
    if len(text) > limit:
        raise BadUserInput(f"The {what} must be at most {limit} characters.")
    return text


def clean_name(name: str, what: str = "name") -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise BadUserInput(f"The {what} must not be empty.")
    if len(cleaned) > 200:
        raise BadUserInput(f"The {what} must be at most 200 characters.")
    return cleaned
