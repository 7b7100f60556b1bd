"""The chunk hasher verification uses gives every row exactly the hash the writer gave it."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from db.audit_canonical import (
    CHECK_FIELDS,
    ChunkHasher,
    canonical_values,
    iso,
    keyed_hash,
    keyed_values,
    plain_hash,
    stored_json,
)

KEY = b"a-chain-key-for-the-canonical-tests"
MOMENT = datetime(2026, 3, 4, 5, 6, 7, 890_000, tzinfo=UTC)


def _values(seq: int, **changed: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "seq": seq,
        "occurred_at": MOMENT + timedelta(seconds=seq),
        "request_id": f"req-{seq}",
        "client_address": "127.0.0.1",
        "actor_person_id": seq,
        "actor_token_id": None,
        "role": "secretary",
        "domain": "/1/",
        "operation": "updateIssue",
        "resource_type": "issue",
        "resource_id": str(seq),
        "organisation_id": 1,
        "organisation_path": "/1/",
        "input": {"title": "楼道灯不亮", "note": 'a "quoted" \\ line\n'},
        "changes": [{"field": "title", "before": None, "after": "x"}],
        "outcome": "SUCCESS",
        "error_code": None,
        "error_message": None,
        "prev_hash": "0" * 64,
        "actor_organisation_id": None,
    }
    values.update(changed)
    return values


def _row(values: dict[str, Any], hash: str = "") -> tuple[Any, ...]:
    """The row as the driver hands it to verification (SQLite: times and JSON as text)."""
    stored = {
        **values,
        "occurred_at": values["occurred_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        "input": stored_json(values["input"]),
        "changes": stored_json(values["changes"]),
        "hash": hash,
    }
    return tuple(stored[name] for name in CHECK_FIELDS)


ODD = {
    "plain": {},
    "a string holding the row separator": {"request_id": "x],[y", "role": "]],[["},
    "control characters and non-ASCII": {"error_message": "tab\there\x1e\u2028 错误"},
    "the optional field set": {"actor_organisation_id": 7},
    "nulls where text goes": {"request_id": None, "client_address": None, "domain": None},
}


@pytest.mark.parametrize("changed", ODD.values(), ids=ODD.keys())
def test_a_chunk_hashes_as_the_writer_did(changed: dict[str, Any]) -> None:
    chunk = [_values(seq, **(changed if seq % 2 else {})) for seq in range(1, 8)]
    rows = [_row(values) for values in chunk]
    expected = [keyed_hash(keyed_values(values), KEY) for values in chunk]
    assert ChunkHasher(KEY, keyed_from=1).hashes(rows) == expected


def test_entries_before_the_key_keep_their_plain_hash() -> None:
    chunk = [_values(seq) for seq in range(1, 6)]
    rows = [_row(values) for values in chunk]
    expected = [
        plain_hash(canonical_values(values))
        if values["seq"] < 4
        else keyed_hash(keyed_values(values), KEY)
        for values in chunk
    ]
    assert ChunkHasher(KEY, keyed_from=4).hashes(rows) == expected
    assert ChunkHasher(KEY, keyed_from=1).hashes([]) == []


@pytest.mark.parametrize("key", [b"", b"short", b"k" * 64, b"a key longer than one block " * 4])
def test_the_precomputed_hmac_is_hmac_sha256(key: bytes) -> None:
    row = _row(_values(1))
    expected = hmac.new(key, keyed_values(_values(1)), hashlib.sha256).hexdigest()
    assert ChunkHasher(key, keyed_from=1).hashes([row]) == [expected]


WRITTEN = "2026-03-04T05:06:07.890000+00:00"
WHOLE = "2026-03-04T05:06:07.000000+00:00"
TIMES: dict[str, tuple[Any, str]] = {
    "SQLite's text": ("2026-03-04 05:06:07.890000", WRITTEN),
    "PostgreSQL's text": ("2026-03-04 05:06:07.000123+00", WHOLE.replace("000000", "000123")),
    "PostgreSQL's text, zeros dropped": ("2026-03-04 05:06:07.89+00", WRITTEN),
    "PostgreSQL's text, whole seconds": ("2026-03-04 05:06:07+00", WHOLE),
    "another zone": ("2026-03-04 07:06:07.890000+02", WRITTEN),
    "an aware datetime": (MOMENT.astimezone(timezone(timedelta(hours=-3))), WRITTEN),
    "a naive datetime (UTC)": (MOMENT.replace(tzinfo=None), WRITTEN),
}


@pytest.mark.parametrize(("moment", "written"), TIMES.values(), ids=TIMES.keys())
def test_times_read_back_as_the_writer_wrote_them(moment: Any, written: str) -> None:
    assert iso(moment) == written
