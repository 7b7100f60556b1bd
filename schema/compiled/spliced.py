"""Answers built as JSON by the database, carried to the response without decoding.

A compiled root field answers a `Spliced` dict whose nodes are `orjson.Fragment`s, and a
compiled object field (schema/compiled/single.py) one fragment: the HTTP endpoint encodes
the response with orjson, which copies a fragment's bytes as they are. Callers in process
(tests, the CLI) get plain values back (`thaw`)."""

from __future__ import annotations

from typing import Any

import orjson


class Spliced(dict[str, Any]):
    """A root field's finished answer; graphql-core must not complete it again."""


def thaw(data: dict[str, Any]) -> dict[str, Any]:
    """DATA with every spliced answer, at any depth, decoded into plain values."""
    for key, value in data.items():
        data[key] = _thawed(value)
    return data


def _thawed(value: Any) -> Any:
    if type(value) is Spliced or type(value) is orjson.Fragment:
        return orjson.loads(orjson.dumps(value))
    if isinstance(value, dict):
        return thaw(value)
    if isinstance(value, list):
        return [_thawed(item) for item in value]
    return value
