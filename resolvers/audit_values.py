"""What the audit log stores of caller-supplied text: always storable, never unbounded.

An attempt must be audited whatever it carries, so nothing a caller sends may make the
entry's own insert fail (a NUL is refused by PostgreSQL text, a lone surrogate by UTF-8)
or make an entry that can never be deleted grow without bound. Control characters
(but newline, carriage return and tab) and lone surrogates are written as visible
``\\uXXXX`` escapes; a string longer than its room is cut, noting its original length and
the SHA-256 of its UTF-8 bytes; a whole input or change list above MAX_JSON_BYTES keeps
what fits and notes the rest by size and hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from resolvers.validation import UNSAFE_TEXT

# One string value inside an input or a change.
MAX_VALUE_CHARS = 1000
# One serialized input, or one serialized list of changes.
MAX_JSON_BYTES = 8192
TRUNCATED = "_truncated"


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def safe_text(value: str, limit: int) -> str:
    """VALUE with unsafe characters escaped, at most LIMIT characters long."""
    escaped = UNSAFE_TEXT.sub(_escape, value)
    if len(escaped) <= limit:
        return escaped
    digest = _sha256(value)
    # Short columns (ids, request ids) get a prefix of the hash; the rest the whole of it.
    note = f"…[{len(value)} chars, sha256 {digest if limit >= 200 else digest[:12]}]"
    return escaped[: max(limit - len(note), 0)] + note[:limit]


def safe_optional(value: str | None, limit: int) -> str | None:
    return None if value is None else safe_text(value, limit)


def safe_json(value: Any) -> Any:
    """A copy of the JSON-ready VALUE with every string (and key) made safe."""
    if isinstance(value, str):
        return safe_text(value, MAX_VALUE_CHARS)
    if isinstance(value, dict):
        return {safe_text(str(k), MAX_VALUE_CHARS): safe_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [safe_json(v) for v in value]
    return value


def _encoded(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _summary(encoded: bytes, left_out: list[str]) -> dict[str, Any]:
    return {
        "bytes": len(encoded),
        "sha256": hashlib.sha256(encoded).hexdigest(),
        "leftOut": left_out[:20],
    }


def capped_input(values: dict[str, Any]) -> dict[str, Any]:
    """VALUES (made safe) if they serialize within MAX_JSON_BYTES; else the fields that fit,
    in order, and a `_truncated` note of the whole's size and hash and the fields left out."""
    values = safe_json(values)
    encoded = _encoded(values)
    if len(encoded) <= MAX_JSON_BYTES:
        return values
    kept: dict[str, Any] = {}
    left_out: list[str] = []
    room = MAX_JSON_BYTES // 2  # the note itself needs room too
    for key, value in values.items():
        size = len(_encoded({key: value}))
        if size <= room:
            kept[key] = value
            room -= size
        else:
            left_out.append(key[:64])
    kept[TRUNCATED] = _summary(encoded, left_out)
    return kept


def capped_changes(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CHANGES (made safe) if they serialize within MAX_JSON_BYTES; else the changes that fit
    and a last one, field `_truncated`, noting the whole's size and hash."""
    changes = safe_json(changes)
    encoded = _encoded(changes)
    if len(encoded) <= MAX_JSON_BYTES:
        return changes
    kept: list[dict[str, Any]] = []
    left_out: list[str] = []
    room = MAX_JSON_BYTES // 2
    for change in changes:
        size = len(_encoded(change))
        if size <= room:
            kept.append(change)
            room -= size
        else:
            left_out.append(str(change.get("field", "?"))[:64])
    return [*kept, {"field": TRUNCATED, "before": None, "after": _summary(encoded, left_out)}]
