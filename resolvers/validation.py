"""Checks of input formats: personal data, and times that must say their time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from resolvers.errors import BadUserInput
from resolvers.i18n import Text, tr

# Characters text may not hold: control characters but tab, newline and carriage return
# (a NUL cannot be stored in PostgreSQL text; the others hide or garble text), and lone
# surrogates (no UTF-8 for them).
UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a PRC resident identity number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def clean_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    phone = phone.strip()
    if not phone:
        return None
    if not _PHONE.match(phone):
        raise BadUserInput(
            tr("The phone number may hold digits, spaces, '-' and a leading '+' only.")
        )
    return phone


def clean_id_number(id_number: str | None) -> str | None:
    if id_number is None:
        return None
    value = id_number.strip().upper()
    if not value:
        return None
    if not _ID_NUMBER.match(value) or id_number_check_digit(value[:17]) != value[17]:
        raise BadUserInput(tr("The ID-card number must be 18 characters with a valid check digit."))
    return value


def clean_skills(skills: list[str] | None) -> list[str] | None:
    if skills is None:
        return None
    cleaned = sorted({s.strip().lower() for s in skills if s.strip()})
    if any(len(s) > 40 for s in cleaned) or len(cleaned) > 20:
        raise BadUserInput(tr("Give at most 20 skills of at most 40 characters each."))
    return cleaned


def aware_utc(value: datetime, what: Text) -> datetime:
    """VALUE in UTC; a time without its time zone would be read in the server's, so it is
    refused rather than guessed."""
    if value.tzinfo is None:
        raise BadUserInput(tr("Give the {what} with its time zone.", what=what))
    return value.astimezone(UTC)
