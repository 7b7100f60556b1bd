"""The lists a frontend pages through read the same backward (`last`/`before`) as forward:
the same items, in the same order, for callers of different reach."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import Api
from tests.issue_helpers import issue_in
from tests.webhook_helpers import RECEIVER, registered_for_new_token

LISTS = ["people", "positions", "organisations", "auditLog"]
# The other lists a frontend shows, paged backward through the same Window (issue 17, item 4).
MORE_LISTS = [
    "jointMeetings",
    "volunteerServices",
    "stations",
    "mobilisations",
    "mentorPairs",
    "commendations",
    "tokens",
    "webhookEndpoints",
    "webhookDeliveries",
    "servicePosts",
    "serviceRegistrations",
    "coBuildingNeeds",
    "coBuildingProjects",
    "notices",
    "fundEntries",
    "compoundMeetings",
    "evaluations",
    "firmStandings",
]
# Pages small enough that every list spans several; the audit log is hundreds of entries.
SIZE = {"auditLog": 60}
# Small lists in pages of two, so each spans a few.
SIZE.update(dict.fromkeys(MORE_LISTS, 2))


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


@pytest.mark.parametrize("field", LISTS + MORE_LISTS)
@pytest.mark.parametrize("role", ["secretary", "supervisor", "resident"])
async def test_a_list_read_backward_is_the_list_read_forward(
    api: Api, field: str, role: str
) -> None:
    forward = await _walk(api, field, role, backward=False)
    assert await _walk(api, field, role, backward=True) == forward
    assert len(set(forward)) == len(forward)


@pytest.mark.parametrize("field", ["notices", "fundEntries", "volunteerServices"])
@pytest.mark.parametrize(
    "arguments", [{"first": 2, "last": 2}, {"after": "x", "last": 2}, {"first": 2, "before": "x"}]
)
async def test_paging_both_ways_at_once_is_refused_on_every_list(
    api: Api, field: str, arguments: dict[str, Any]
) -> None:
    result = await api.run(_query(field), arguments, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "one way at a time" in result.errors[0]["message"]


TIMELINE = """
query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Issue {
    timeline(first: $first, after: $after, last: $last, before: $before) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { id } } } } } }
"""


async def test_a_nested_list_pages_backward_too(api: Api) -> None:
    """An issue's timeline (a list inside a node) read from its end, two at a time."""
    issue = await issue_in(api, "CLOSED")
    forward = await api.run(TIMELINE, {"id": issue["id"], "first": 100}, as_="secretary")
    expected = [edge["node"]["id"] for edge in forward.ok()["node"]["timeline"]["edges"]]
    assert len(expected) > 2
    ids: list[str] = []
    before = None
    while True:
        result = await api.run(
            TIMELINE, {"id": issue["id"], "last": 2, "before": before}, as_="secretary"
        )
        page = result.ok()["node"]["timeline"]
        ids = [edge["node"]["id"] for edge in page["edges"]] + ids
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert ids == expected


async def test_webhook_endpoints_page_backward(api: Api) -> None:
    """The demo registers no endpoint: three of the secretary's own, read both ways."""
    for n in range(3):
        await registered_for_new_token(api, url=f"{RECEIVER}/{n}")
    forward = await _walk(api, "webhookEndpoints", "secretary", backward=False)
    assert len(forward) >= 3
    assert await _walk(api, "webhookEndpoints", "secretary", backward=True) == forward
