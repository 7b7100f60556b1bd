"""The JSON body of a GraphQL POST: UTF-8 JSON, not too deep, shaped like an operation.

Anything else is the client's mistake and is refused with 400 BAD_REQUEST before
strawberry sees it (strawberry would answer some of these with a plain-text 500).
"""

from __future__ import annotations

import json
import re
from typing import Any

from cross_web import HTTPException

# No operation needs more: the deepest input of the schema nests about six levels.
MAX_JSON_DEPTH = 32
OPERATION_SHAPE = '{"query": "...", "variables": {...}, "operationName": "..."}'
# Members of an operation object and the JSON types each may take (None: null).
_MEMBER_TYPES: dict[str, tuple[type, ...]] = {
    "query": (str, type(None)),
    "variables": (dict, type(None)),
    "operationName": (str, type(None)),
    "extensions": (dict, type(None)),
    "documentId": (str, type(None)),
}
# A \uD800-\uDFFF escape: only then can the parsed text hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def bad_request(message: str) -> HTTPException:
    return HTTPException(400, message)


def decode_body(data: str | bytes) -> Any:
    """DATA as JSON, or 400: it must be UTF-8 text, valid JSON, at most MAX_JSON_DEPTH deep."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise bad_request("The request body is not valid UTF-8.") from exc
    try:
        parsed = json.loads(text)
    except RecursionError as exc:
        raise bad_request(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.") from exc
    except ValueError as exc:
        raise bad_request("The request body is not valid JSON.") from exc
    if _depth_exceeds(parsed, MAX_JSON_DEPTH):
        raise bad_request(f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels.")
    if _SURROGATE_ESCAPE.search(text) and not _is_encodable(parsed):
        raise bad_request("The JSON body holds a lone surrogate (\\uD800-\\uDFFF), not text.")
    return parsed


def check_operation(operation: Any, where: str = "The request body") -> dict[str, Any]:
    """OPERATION if it is an object whose known members have their JSON types, else 400."""
    if not isinstance(operation, dict):
        raise bad_request(f"{where} must be a JSON object like {OPERATION_SHAPE}.")
    for name, types in _MEMBER_TYPES.items():
        if not isinstance(operation.get(name), types):
            kind = "an object" if dict in types else "a string"
            raise bad_request(f"{where}: `{name}` must be {kind} or null, if given.")
    persisted = (operation.get("extensions") or {}).get("persistedQuery")
    if persisted is not None and not isinstance(persisted, dict):
        raise bad_request(f"{where}: `extensions.persistedQuery` must be an object, if given.")
    return operation


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether VALUE nests more than LIMIT containers deep (iterative: no recursion)."""
    if not isinstance(value, (dict, list)):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        children = current.values() if isinstance(current, dict) else current
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _is_encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
