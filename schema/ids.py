"""Global ids: "Type:id" in base64, as Relay expects.

Only the exact text this API gives out is an id: standard padded base64 of an ASCII
type name, a colon and a decimal number without sign, spaces or leading zeros. Any
other spelling of the same number (" 1", "1_0", "01", full-width digits, unpadded or
lenient base64) is refused, so one row has one id and ids compare as text.
"""

from __future__ import annotations

import base64
import binascii
import re

import strawberry

from resolvers.errors import BadUserInput
from resolvers.i18n import tr

# Database ids are 32-bit integers on PostgreSQL: a larger number can name nothing.
MAX_ID = 2**31 - 1
# The longest id we give out is well under this; longer text is refused before decoding.
MAX_GLOBAL_ID_LENGTH = 100
_DECODED = re.compile(r"([A-Za-z][A-Za-z0-9]*):([1-9][0-9]*)", re.ASCII)


def quoted(value: object, limit: int = 40) -> str:
    """VALUE for an error message: repr'd (control characters escaped) and cut to LIMIT."""
    text = repr(str(value))
    return text if len(text) <= limit else f"{text[: limit - 4]}…{text[-1]}"


def _not_ours(value: object) -> BadUserInput:
    return BadUserInput(tr("{id} is not an id this API gave out.", id=quoted(value)))


def parse_global_id(value: str | strawberry.ID) -> tuple[str, int]:
    text = str(value)
    if len(text) > MAX_GLOBAL_ID_LENGTH:
        raise _not_ours(value)
    try:
        decoded = base64.b64decode(text, validate=True).decode("ascii")
    except (binascii.Error, ValueError) as exc:
        raise _not_ours(value) from exc
    match = _DECODED.fullmatch(decoded)
    if match is None or len(match.group(2)) > len(str(MAX_ID)):
        raise _not_ours(value)
    type_name, node_id = match.group(1), int(match.group(2))
    if not 0 < node_id <= MAX_ID or encode_id(type_name, node_id) != text:
        raise _not_ours(value)
    return type_name, node_id


def decode_id(value: str | strawberry.ID, type_name: str) -> int:
    """The database id inside a global id of TYPE_NAME, or BAD_USER_INPUT."""
    found, node_id = parse_global_id(value)
    if found != type_name:
        raise BadUserInput(
            tr(
                "Expected the id of a {type_name}, got the id of a {found}.",
                type_name=type_name,
                found=found,
            )
        )
    return node_id


def decode_optional(value: str | strawberry.ID | None, type_name: str) -> int | None:
    return None if value is None else decode_id(value, type_name)


def encode_id(type_name: str, node_id: int) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{node_id}".encode()).decode())
