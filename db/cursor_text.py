"""How a keyset cursor is written: unpadded URL-safe base64 of the JSON list of its list's
tag and its row's key values. One spelling for the resolvers (resolvers/cursors.py) and for
the cursors SQLite writes in compiled reads (db/engine.py's jinlin_cursor)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import orjson


def cursor_text(tag: str, values: Sequence[Any]) -> str:
    # orjson writes what json.dumps(..., separators=(",", ":"), ensure_ascii=False) writes
    # for strings and integers, several times faster (a page encodes a cursor per row).
    raw = orjson.dumps([tag, *values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
