"""Paging the problem list backward (`last`/`before`): the same list, read from its end, in
its own order, with cursors that work both ways."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import IssuePriority
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import expected_order, sortable_issues, sortable_shapes

ORDERS = ["NEWEST", "OLDEST", "DUE_SOONEST", "PRIORITY", "STATUS"]
PAGE = """
query ($f: IssueFilter, $first: Int, $after: String, $last: Int, $before: String,
       $order: IssueOrder! = NEWEST) {
  issues(filter: $f, first: $first, after: $after, last: $last, before: $before,
         orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title } } } }
"""
P = IssuePriority
SHAPE = [
    (P.LOW, 0, 5),
    (P.URGENT, 10, 1),
    (P.NORMAL, 10, 1),
    (P.URGENT, 10, 3),
    (P.HIGH, 20, 2),
    (P.NORMAL, 0, 5),
    (P.LOW, 30, 0),
    (P.URGENT, 0, 2),
]


async def _page(api: Api, token: str, **arguments: Any) -> dict[str, Any]:
    result = await api.run(PAGE, {"f": {"search": token}, **arguments}, as_="secretary")
    page: dict[str, Any] = result.ok()["issues"]
    return page


def _ids(page: dict[str, Any]) -> list[int]:
    return [decode_id(edge["node"]["id"], "Issue") for edge in page["edges"]]


async def _walk_backward(api: Api, token: str, order: str, size: int, total: int) -> list[int]:
    """Every issue, read page by page from the end of the list to its start."""
    ids: list[int] = []
    before = None
    while True:
        page = await _page(api, token, last=size, before=before, order=order)
        assert page["totalCount"] == total
        assert len(page["edges"]) == min(size, total - len(ids))
        ids = _ids(page) + ids
        info = page["pageInfo"]
        assert info["hasNextPage"] == (before is not None)
        assert info["hasPreviousPage"] == (len(ids) < total)
        if page["edges"]:
            assert info["startCursor"] == page["edges"][0]["cursor"]
            assert info["endCursor"] == page["edges"][-1]["cursor"]
        if not info["hasPreviousPage"]:
            return ids
        before = info["startCursor"]


@pytest.mark.parametrize("order", ORDERS)
async def test_each_order_walked_backward_gives_the_list_in_its_own_order(
    api: Api, order: str
) -> None:
    token, rows = await sortable_issues(api, SHAPE)
    assert await _walk_backward(api, token, order, 3, len(rows)) == expected_order(order, rows)


async def test_last_gives_the_end_of_the_list_and_its_cursor_leads_back_forward(
    api: Api,
) -> None:
    token, rows = await sortable_issues(api, SHAPE)
    expected = expected_order("NEWEST", rows)
    tail = await _page(api, token, last=3)
    assert _ids(tail) == expected[-3:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]
    # A cursor read backward pages forward too, and the other way round.
    forward = await _page(api, token, first=2, after=tail["edges"][0]["cursor"])
    assert _ids(forward) == expected[-2:]
    head = await _page(api, token, first=3)
    before_third = await _page(api, token, last=5, before=head["edges"][2]["cursor"])
    assert _ids(before_third) == expected[:2]
    assert not before_third["pageInfo"]["hasPreviousPage"]
    assert before_third["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize(
    "arguments",
    [{"first": 2, "last": 2}, {"after": "x", "last": 2}, {"first": 2, "before": "x"}],
)
async def test_paging_both_ways_at_once_is_refused(api: Api, arguments: dict[str, Any]) -> None:
    result = await api.run(PAGE, arguments, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "one way at a time" in result.errors[0]["message"]


async def test_last_beyond_the_largest_page_is_refused_by_its_name(api: Api) -> None:
    result = await api.run(PAGE, {"last": 101}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "'last' must be between 0 and 100; it was 101." in result.errors[0]["message"]


async def test_a_backward_page_costs_what_a_forward_one_does(api: Api) -> None:
    forward = await api.run(PAGE, {"first": 100}, as_="secretary")
    backward = await api.run(PAGE, {"last": 100}, as_="secretary")
    assert backward.extensions["cost"] == forward.extensions["cost"]


async def test_a_resident_paging_backward_sees_only_their_compound(api: Api) -> None:
    forward = await api.run(PAGE, {"first": 100}, as_="resident")
    backward = await api.run(PAGE, {"last": 100}, as_="resident")
    assert _ids(backward.ok()["issues"]) == _ids(forward.ok()["issues"])
    assert backward.ok()["issues"]["totalCount"] == forward.ok()["issues"]["totalCount"]


shapes = sortable_shapes(max_size=7)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shape=shapes, order=st.sampled_from(ORDERS), size=st.integers(1, 4))
async def test_backward_pages_agree_with_a_full_sort(
    api: Api, shape: list[tuple[IssuePriority, int, int]], order: str, size: int
) -> None:
    token, rows = await sortable_issues(api, shape)
    assert await _walk_backward(api, token, order, size, len(rows)) == expected_order(order, rows)
