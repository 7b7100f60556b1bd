"""The lists a frontend pages through read the same backward (`last`/`before`) as forward:
the same items, in the same order, for callers of different reach."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api

LISTS = ["people", "positions", "organisations", "auditLog"]
# Pages small enough that every list spans several; the audit log is hundreds of entries.
SIZE = {"auditLog": 60}


def _query(field: str) -> str:
    return f"""
query ($first: Int, $after: String, $last: Int, $before: String) {{
  {field}(first: $first, after: $after, last: $last, before: $before) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ id }} }} }} }}
"""


async def _walk(api: Api, field: str, role: str, *, backward: bool) -> list[str]:
    ids: list[str] = []
    cursor = None
    size = SIZE.get(field, 7)
    while True:
        arguments: dict[str, Any] = (
            {"last": size, "before": cursor} if backward else {"first": size, "after": cursor}
        )
        page = (await api.run(_query(field), arguments, as_=role)).ok()[field]
        found = [edge["node"]["id"] for edge in page["edges"]]
        ids = found + ids if backward else ids + found
        info = page["pageInfo"]
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        if not more:
            assert len(ids) == page["totalCount"]
            return ids
        cursor = info["startCursor"] if backward else info["endCursor"]


@pytest.mark.parametrize("field", LISTS)
@pytest.mark.parametrize("role", ["secretary", "supervisor", "resident"])
async def test_a_list_read_backward_is_the_list_read_forward(
    api: Api, field: str, role: str
) -> None:
    forward = await _walk(api, field, role, backward=False)
    assert await _walk(api, field, role, backward=True) == forward
    assert len(set(forward)) == len(forward)
