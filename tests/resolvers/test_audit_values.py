"""Caller text in the audit log: always storable, never unbounded, traceable by hash."""

from __future__ import annotations

import hashlib
import json

from resolvers.audit_values import (
    MAX_JSON_BYTES,
    TRUNCATED,
    capped_changes,
    capped_input,
    safe_text,
)


def test_control_characters_and_lone_surrogates_are_escaped_visibly() -> None:
    assert safe_text("a\x00b\x1b[31m\ud800\x7f", 100) == "a\\u0000b\\u001b[31m\\ud800\\u007f"
    assert safe_text("line\nnext\tcell\r\n", 100) == "line\nnext\tcell\r\n"
    assert safe_text("近鄰", 100) == "近鄰"


def test_a_long_string_is_cut_with_its_length_and_hash() -> None:
    value = "x" * 900_000
    stored = safe_text(value, 500)
    assert len(stored) == 500
    assert "900000 chars" in stored
    assert hashlib.sha256(value.encode()).hexdigest() in stored
    short = safe_text(value, 64)
    assert len(short) <= 64 and "900000 chars" in short


def test_an_input_over_the_cap_keeps_what_fits_and_notes_the_rest() -> None:
    values = {"id": "UGVyc29uOjE=", "name": "x" * 900_000, "skills": ["y" * 900] * 50}
    stored = capped_input(values)
    assert len(json.dumps(stored, ensure_ascii=False).encode()) <= MAX_JSON_BYTES
    assert stored["id"] == "UGVyc29uOjE="
    assert "900000 chars" in stored["name"]
    assert stored[TRUNCATED]["leftOut"] == ["skills"]
    assert stored[TRUNCATED]["bytes"] > MAX_JSON_BYTES


def test_a_small_input_is_kept_as_it_is() -> None:
    values = {"id": "UGVyc29uOjE=", "name": "改名的住戶", "count": 3, "ok": True, "none": None}
    assert capped_input(values) == values


def test_changes_over_the_cap_end_with_a_note() -> None:
    changes = [{"field": f"f{n}", "before": "a" * 900, "after": "b" * 900} for n in range(20)]
    stored = capped_changes(changes)
    assert len(json.dumps(stored, ensure_ascii=False).encode()) <= MAX_JSON_BYTES
    assert stored[-1]["field"] == TRUNCATED
    assert stored[:-1] == changes[: len(stored) - 1]
