"""A message marked for translation: its English source (the gettext message id) and the
values of its named placeholders, kept apart until a locale is known."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Protocol, TypeAlias

from db.clock import CHINA_TIME

Value: TypeAlias = "str | int | float | date | datetime | time | Text | Coded"


class Translator(Protocol):
    """Writes the parts of a message that have words of their own in the message's language."""

    def text(self, text: Text) -> str: ...

    def coded(self, coded: Coded) -> str: ...


@dataclass(frozen=True)
class Text:
    msgid: str
    params: Mapping[str, Value] = field(default_factory=dict)
    # The gettext context (msgctxt) when one English word needs different translations.
    context: str | None = None

    def format(self, template: str, translator: Translator | None = None) -> str:
        """TEMPLATE (this message in some language) with the placeholders filled in."""
        return template.format_map({k: render(v, translator) for k, v in self.params.items()})

    def __str__(self) -> str:
        """The English text: for logs and the audit log, which are read as stored."""
        return self.format(self.msgid)


@dataclass(frozen=True)
class Coded:
    """Enum values in a message: in English as the API spells them (CLOSED), so a developer
    can search for them; in Chinese by what people call them (已关闭, enum_labels)."""

    enum: str
    values: tuple[str, ...]
    joiner: str = ", "  # how English joins several ("PARTY_BRANCH or COMPOUND")
    english: str | None = None  # English other than the spelling ("cancelled")

    def __str__(self) -> str:
        return self.english if self.english is not None else self.joiner.join(self.values)


def coded(*members: StrEnum, joiner: str = ", ", english: str | None = None) -> Coded:
    """MEMBERS (of one enum, named in the schema as its class) for a message."""
    enum = type(members[0]).__name__ if members else ""
    return Coded(enum, tuple(m.value for m in members), joiner, english)


def tr(msgid: str, /, **params: Value) -> Text:
    """Mark MSGID (English, with ``{name}`` placeholders) for translation.

    The extractor (babel, keyword ``tr``) reads the literal first argument, so it must be a
    plain string: never an f-string or a variable."""
    return Text(msgid, params)


def tr_in(context: str, msgid: str, /) -> Text:
    """Mark MSGID for translation in CONTEXT (an enum's name): its own catalogue entry, so
    the same English word may be translated differently elsewhere."""
    return Text(msgid, context=context)


def render(value: Value, translator: Translator | None) -> str:
    """A placeholder's value as text: nested messages and enum values in the message's
    language, a time in China time (the compounds' clock; stored times are UTC, naive ones
    from SQLite included)."""
    if isinstance(value, Text):
        return translator.text(value) if translator is not None else str(value)
    if isinstance(value, Coded):
        return translator.coded(value) if translator is not None else str(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):  # a time of day, already the compound's
        return value.strftime("%H:%M")
    return str(value)
