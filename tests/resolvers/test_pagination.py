"""Cursors name their connection: one list's cursor is refused by another, as bad input."""

from __future__ import annotations

import base64
import json

import pytest

from tests.helpers import Api

LISTS = {
    "people": "query ($a: String) { people(first: 1, after: $a) { pageInfo { endCursor } } }",
    "organisations": (
        "query ($a: String) { organisations(first: 1, after: $a) { pageInfo { endCursor } } }"
    ),
    "issues": "query ($a: String) { issues(first: 1, after: $a) { pageInfo { endCursor } } }",
    "auditLog": "query ($a: String) { auditLog(first: 1, after: $a) { pageInfo { endCursor } } }",
    "positions": (
        "query ($a: String) { positions(first: 1, after: $a) { pageInfo { endCursor } } }"
    ),
}
NEWEST_ISSUES = (
    "query ($a: String) { issues(first: 1, after: $a, orderBy: PRIORITY) "
    "{ pageInfo { endCursor } } }"
)


async def _cursor(api: Api, name: str) -> str:
    data = (await api.run(LISTS[name], {"a": None}, as_="admin")).ok()
    cursor: str = data[name]["pageInfo"]["endCursor"]
    assert cursor
    return cursor


async def test_a_cursor_goes_on_in_its_own_list(api: Api) -> None:
    for name in LISTS:
        after = await _cursor(api, name)
        (await api.run(LISTS[name], {"a": after}, as_="admin")).ok()


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("people", "issues"),
        ("people", "auditLog"),
        ("people", "organisations"),  # both keyed by a single integer id
        ("organisations", "positions"),
        ("issues", "auditLog"),
        ("auditLog", "people"),
    ],
)
async def test_a_cursor_from_another_list_is_bad_input(api: Api, source: str, target: str) -> None:
    after = await _cursor(api, source)
    result = await api.run(LISTS[target], {"a": after}, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "another list" in result.errors[0]["message"]


async def test_a_cursor_of_another_order_of_the_same_list_is_bad_input(api: Api) -> None:
    after = await _cursor(api, "issues")  # newest first
    result = await api.run(NEWEST_ISSUES, {"a": after}, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("values", [[1], [12, 3], ["x"], [], {"a": 1}])
async def test_a_cursor_in_the_old_or_a_made_up_format_is_refused(api: Api, values: object) -> None:
    made_up = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    result = await api.run(LISTS["people"], {"a": made_up}, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"]
