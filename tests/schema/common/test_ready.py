"""Related fields answer from what the list prefetched: a plain value, no awaitable each."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import pytest
from strawberry.dataloader import DataLoader

from schema.common import ready as ready_module
from schema.common.ready import ready, ready_after
from tests.helpers import Api

PLAIN = """
query ($c: ID!) {
  issues(first: 50, filter: {compound: $c}) {
    edges { node { id title reporter { name } compound { name } assignee { name }
      lastEvent { kind } } }
  }
}
"""
# The same fields, asked through a named fragment and an inline fragment.
FRAGMENTS = """
query ($c: ID!) {
  issues(first: 50, filter: {compound: $c}) {
    edges { node { id ...Who ... on Issue { title lastEvent { kind } } } }
  }
}
fragment Who on Issue { reporter { name } compound { name } ... on Issue { assignee { name } } }
"""


async def _doubled(keys: Sequence[int]) -> list[int]:
    return [key * 2 for key in keys]


async def test_a_cached_row_is_a_plain_value_and_a_missing_one_an_awaitable() -> None:
    loader: DataLoader[int, int] = DataLoader(_doubled)
    later = ready(loader, 4, str)
    assert inspect.isawaitable(later)
    assert await later == "8"
    assert ready(loader, 4, str) == "8"


async def test_a_gate_answers_plainly_once_known() -> None:
    gate: DataLoader[int, bool] = DataLoader(lambda keys: _bools(keys))
    pending = ready_after(gate, 3, lambda: "shown", lambda: None)
    assert inspect.isawaitable(pending)
    assert await pending is None  # 3 is odd: refused
    await gate.load_many([2])
    assert ready_after(gate, 2, lambda: "shown", lambda: None) == "shown"
    assert ready_after(gate, 3, lambda: "shown", lambda: None) is None


async def _bools(keys: Sequence[int]) -> list[bool]:
    return [key % 2 == 0 for key in keys]


@pytest.mark.parametrize("document", [PLAIN, FRAGMENTS], ids=["fields", "fragments"])
async def test_the_issue_page_waits_on_no_related_field(
    api: Api, document: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[Any] = []
    cached_value = ready_module.cached_value

    def counting(loader: Any, key: Any) -> Any:
        value = cached_value(loader, key)
        if value is ready_module._MISSING:
            waits.append(key)
        return value

    monkeypatch.setattr(ready_module, "cached_value", counting)
    for role in ("secretary", "resident"):
        waits.clear()
        page = await api.run(document, {"c": api.ids["compound_a"]}, as_=role)
        edges = page.ok()["issues"]["edges"]
        assert edges, role
        assert all(e["node"]["compound"]["name"] for e in edges)
        assert waits == [], role


async def test_prefetching_changes_no_answer(api: Api) -> None:
    for role in ("secretary", "resident", "property_firm", "supervisor"):
        plain = await api.run(PLAIN, {"c": api.ids["compound_a"]}, as_=role)
        fragments = await api.run(FRAGMENTS, {"c": api.ids["compound_a"]}, as_=role)
        assert plain.data == fragments.data, role
        assert plain.errors == fragments.errors == [], role
        assert plain.extensions.get("maskedFields") == fragments.extensions.get("maskedFields")
