"""Cursors of keyset pages: what one says (its list and its row's key values), how it
is written, and the checks that keep a forged or foreign cursor a caller's mistake."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from db.cursor_text import cursor_text
from db.types import UtcDateTime
from resolvers.errors import BadUserInput
from resolvers.i18n import tr


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


INT64 = 2**63 - 1
INT32 = 2**31 - 1
NOT_OURS = tr("The 'after' cursor is not one this API gave out.")
ANOTHER_LIST = tr(
    "The 'after' cursor belongs to another list (or another order of this one); "
    "pass the endCursor of this list's previous page."
)


def cursor_value(key: sa.SQLColumnExpression[Any], value: Any) -> Any:
    """A cursor value checked against, and converted for, its key column.

    A value that cannot belong to the column is the caller's mistake (BAD_USER_INPUT),
    never a database error, and timestamps compare as timestamps on every backend.
    """
    key_type = getattr(key, "type", None)
    if isinstance(key_type, UtcDateTime):
        return _timestamp(value)
    if isinstance(key_type, sa.TypeDecorator):
        # The type it stores as: sqlmodel's AutoString (names) is a String.
        key_type = key_type.impl_instance
    if isinstance(key_type, sa.Date):
        return _day(value)
    if isinstance(key_type, sa.Integer):
        limit = INT64 if isinstance(key_type, sa.BigInteger) else INT32
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > limit:
            raise BadUserInput(NOT_OURS)
    elif isinstance(key_type, sa.String) and not isinstance(value, str):
        raise BadUserInput(NOT_OURS)
    return value


def cursor_parameter(position: int) -> str:
    return f"keyset_after_{position}"


def _day(value: Any) -> date:
    if not isinstance(value, str):
        raise BadUserInput(NOT_OURS)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadUserInput(NOT_OURS) from exc


def _timestamp(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BadUserInput(NOT_OURS) from exc
    if parsed.tzinfo is None:
        raise BadUserInput(NOT_OURS)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:  # e.g. year 1 east of UTC: no UTC time we could store
        raise BadUserInput(NOT_OURS) from exc


def connection_tag(keys: Sequence[sa.SQLColumnExpression[Any]], descending: bool) -> str:
    """A short name of the list a cursor belongs to: its key columns and direction.

    A cursor carries it, so one list's cursor given to another (whose keys would read
    its values as something else) is refused instead of silently skipping rows.
    """
    names = [
        f"{key.table.name}.{key.name}" if isinstance(key, sa.Column) else str(key)
        for key in (getattr(k, "expression", k) for k in keys)
    ]
    spelled = ",".join(names) + (" desc" if descending else " asc")
    return hashlib.sha256(spelled.encode()).hexdigest()[:12]


def encode_cursor(tag: str, values: Sequence[Any]) -> str:
    return cursor_text(tag, [_plain(v) for v in values])


def decode_cursor(cursor: str, tag: str, arity: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadUserInput(NOT_OURS) from exc
    if not isinstance(values, list) or not values or not isinstance(values[0], str):
        raise BadUserInput(NOT_OURS)
    if values[0] != tag:
        raise BadUserInput(ANOTHER_LIST)
    values = values[1:]
    if len(values) != arity:
        raise BadUserInput(NOT_OURS)
    if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
        raise BadUserInput(NOT_OURS)
    return values


def cursor_parameters(
    keys: Sequence[sa.SQLColumnExpression[Any]], tag: str, after: str | None
) -> dict[str, Any]:
    """The values of the AFTER cursor of list TAG, by parameter name, checked."""
    if after is None:
        return {}
    values = decode_cursor(after, tag, len(keys))
    return {
        cursor_parameter(position): cursor_value(key, value)
        for position, (key, value) in enumerate(zip(keys, values, strict=True))
    }
