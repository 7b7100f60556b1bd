"""The bytes each audit entry's hash covers, and computing those hashes a chunk at a time.

Each entry's hash is an HMAC-SHA256, under the audit chain key, of a canonical
serialisation of all its fields, its predecessor's hash included; entries written
before the chain had a key keep a plain SHA-256 of an older serialisation.

Verifying a million entries is mostly this module's work, so `ChunkHasher` does
per chunk of rows what can be done once: one JSON encoding for every row's scalars
(split again at the row boundaries), and the HMAC's padded key hashed once (each
entry copies that state instead of rekeying). The bytes are those the writer hashed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from db.models import AuditOutcome

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "request_id",
    "client_address",
    "actor_person_id",
    "actor_token_id",
    "role",
    "domain",
    "operation",
    "resource_type",
    "resource_id",
    "organisation_id",
    "organisation_path",
    "input",
    "changes",
    "outcome",
    "error_code",
    "error_message",
    "prev_hash",
)
# Fields added after entries were first written: hashed only when set, so every entry
# written before they existed keeps the hash it was chained with.
OPTIONAL_HASHED_FIELDS = ("actor_organisation_id",)
# An entry's columns: the hashed ones, then the stored hash.
ROW_FIELDS = (*HASHED_FIELDS, *OPTIONAL_HASHED_FIELDS, "hash")

# Keyed entries hash their scalar fields as one JSON array in a fixed order, then the
# time (ISO, UTC, microseconds) and the JSON columns exactly as stored (the text
# SQLAlchemy's JSON type writes: json.dumps), joined by a byte that can appear in
# none of them. Verifying then needs no JSON parsing.
SCALAR_FIELDS = (
    *(name for name in HASHED_FIELDS if name not in ("occurred_at", "input", "changes")),
    *OPTIONAL_HASHED_FIELDS,
)
_SEPARATOR = "\x1e"
_ENCODE_SCALARS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_ENCODE_SORTED = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode

# Rows as verification reads them: the scalars first, in SCALAR_FIELDS order (so a
# slice is the array to encode), then the time, the JSON columns as text, the hash.
CHECK_FIELDS = (*SCALAR_FIELDS, "occurred_at", "input", "changes", "hash")
SEQ = 0
SCALARS = len(SCALAR_FIELDS)
PREV = CHECK_FIELDS.index("prev_hash")
OCCURRED_AT, INPUT, CHANGES, HASH = range(SCALARS, SCALARS + 4)
_COLUMN = {name: index for index, name in enumerate(CHECK_FIELDS)}
# Rows whose scalars the database encoded already (SQLite's json_array, see db.audit_rows).
ARRAY_FIELDS = ("seq", "prev_hash", "hash", "scalars", "occurred_at", "input", "changes")
ARRAY_PREV, ARRAY_HASH = 1, 2


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, AuditOutcome):
        return value.value
    return value


def canonical_values(values: Mapping[str, Any]) -> bytes:
    """The bytes an entry's plain hash covers (entries from before the key), from its values."""
    payload = {name: _plain(values[name]) for name in HASHED_FIELDS}
    for name in OPTIONAL_HASHED_FIELDS:
        if values[name] is not None:
            payload[name] = _plain(values[name])
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def stored_json(value: Any) -> str:
    """A JSON column's text as the database keeps it."""
    return json.dumps(value)


def keyed_values(values: Mapping[str, Any]) -> bytes:
    """The bytes a keyed entry's HMAC covers, from its field values."""
    scalars = [_plain(values[name]) for name in SCALAR_FIELDS]
    return _SEPARATOR.join(
        (
            _ENCODE_SCALARS(scalars),
            iso(values["occurred_at"]),
            stored_json(values["input"]),
            stored_json(values["changes"]),
        )
    ).encode()


def keyed_hash(data: bytes, key: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def plain_hash(data: bytes) -> str:
    """How entries were hashed before the chain had a key (kept for those entries)."""
    return hashlib.sha256(data).hexdigest()


def iso(moment: Any) -> str:
    """occurred_at as the writer hashed it, from whatever the driver hands back."""
    if isinstance(moment, str):
        if len(moment) >= 22 and moment[10] == " " and moment.endswith("+00"):  # PostgreSQL, UTC
            if len(moment) == 29:
                return f"{moment[:10]}T{moment[11:26]}+00:00"
            # It drops the fraction's trailing zeros (one entry in ten), or all of it.
            if 23 <= len(moment) < 29 and moment[19] == ".":
                return f"{moment[:10]}T{moment[11:19]}.{moment[20:-3]:0<6}+00:00"
            if len(moment) == 22:
                return f"{moment[:10]}T{moment[11:19]}.000000+00:00"
        elif len(moment) == 26 and moment[10] == " ":  # SQLite's stored UTC text
            return f"{moment[:10]}T{moment[11:]}+00:00"
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return str(moment.replace(tzinfo=UTC).isoformat(timespec="microseconds"))
    return str(moment.astimezone(UTC).isoformat(timespec="microseconds"))


def plain_row_bytes(row: Sequence[Any]) -> bytes:
    """canonical_values for a row in CHECK_FIELDS order, its JSON columns as stored text."""
    payload = {name: row[_COLUMN[name]] for name in HASHED_FIELDS}
    payload["occurred_at"] = iso(payload["occurred_at"])
    for name in ("input", "changes"):
        if isinstance(payload[name], str):
            payload[name] = json.loads(payload[name])
    for name in OPTIONAL_HASHED_FIELDS:
        if row[_COLUMN[name]] is not None:
            payload[name] = row[_COLUMN[name]]
    return _ENCODE_SORTED(payload).encode()


class _Hmac:
    """HMAC-SHA256 (RFC 2104) with the padded key hashed once: each message copies the
    two started states, which costs half of keying anew."""

    def __init__(self, key: bytes) -> None:
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self.inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self.outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))


class ChunkHasher:
    """The hash each row's content gives, for chunks of rows in CHECK_FIELDS order."""

    def __init__(self, key: bytes, keyed_from: int) -> None:
        self.hmac = _Hmac(key)
        self.keyed_from = keyed_from

    def hashes(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        if not rows:
            return []
        inner, outer = self.hmac.inner.copy, self.hmac.outer.copy
        hashes: list[str] = []
        append = hashes.append
        for scalars, row in zip(_scalar_arrays(rows), rows, strict=True):
            first = inner()
            first.update(
                f"[{scalars}]\x1e{iso(row[OCCURRED_AT])}\x1e{row[INPUT]}\x1e{row[CHANGES]}".encode()
            )
            second = outer()
            second.update(first.digest())
            append(second.hexdigest())
        if rows[0][SEQ] < self.keyed_from:  # rows are in seq order: some predate the key
            for index, row in enumerate(rows):
                if row[SEQ] < self.keyed_from:
                    hashes[index] = plain_hash(plain_row_bytes(row))
        return hashes

    def array_hashes(self, rows: Sequence[Sequence[Any]]) -> list[str]:
        """Hashes for rows that carry their scalars already encoded, with the brackets: in
        ARRAY_FIELDS order. A row before the key gets "" (its hash needs every column)."""
        inner, outer = self.hmac.inner.copy, self.hmac.outer.copy
        keyed_from = self.keyed_from
        hashes: list[str] = []
        append = hashes.append
        for seq, _, _, scalars, moment, input, changes in rows:
            if seq < keyed_from:
                append("")
                continue
            first = inner()
            first.update(f"{scalars}\x1e{iso(moment)}\x1e{input}\x1e{changes}".encode())
            second = outer()
            second.update(first.digest())
            append(second.hexdigest())
        return hashes


def _scalar_arrays(rows: Sequence[Sequence[Any]]) -> list[str]:
    """Each row's scalars as _ENCODE_SCALARS writes them, without the brackets.

    One encoding of the whole chunk, cut at the "],[" between rows: a string holding
    "],[" would add a cut (it cannot hide one: its quotes stand between), so when the
    pieces do not match the rows one for one, each row is encoded on its own.
    """
    arrays = [row[:SCALARS] for row in rows]
    pieces = _ENCODE_SCALARS(arrays)[2:-2].split("],[")
    if len(pieces) == len(rows):
        return pieces
    return [_ENCODE_SCALARS(array)[1:-1] for array in arrays]
