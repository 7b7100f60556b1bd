"""Related fields answer from what the list prefetched: a plain value, no awaitable each."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import pytest
from strawberry.dataloader import DataLoader

from schema.common import ready as ready_module
from schema.common.ready import load_all, ready, ready_after
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


class _Recorded:
    """A batch function that records the keys of each call; odd keys fail alone."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    async def __call__(self, keys: Sequence[int]) -> list[int | BaseException]:
        self.calls.append(list(keys))
        return [ValueError(key) if key % 2 else key * 10 for key in keys]


async def test_load_all_reads_the_missing_keys_in_one_call_and_caches_them() -> None:
    fetch = _Recorded()
    loader: DataLoader[int, int | BaseException] = DataLoader(fetch)
    assert await load_all(loader, [2, None, 4, 2]) == [20, 40]
    assert await load_all(loader, [4, 6]) == [40, 60]
    assert fetch.calls == [[2, 4], [6]]
    assert ready(loader, 6, str) == "60"
    assert await loader.load(2) == 20
    assert fetch.calls == [[2, 4], [6]]


async def test_load_all_raises_a_keys_failure_to_its_callers_as_the_dataloader_does() -> None:
    fetch = _Recorded()
    loader: DataLoader[int, int | BaseException] = DataLoader(fetch)
    with pytest.raises(ValueError, match="3"):
        await load_all(loader, [2, 3, 5])
    with pytest.raises(ValueError, match="5"):
        await loader.load(5)
    assert await loader.load(2) == 20
    assert fetch.calls == [[2, 3, 5]]


async def test_load_all_waits_for_a_key_another_batch_holds() -> None:
    fetch = _Recorded()
    loader: DataLoader[int, int | BaseException] = DataLoader(fetch)
    pending = loader.load(8)
    assert await load_all(loader, [8, 10]) == [80, 100]
    assert await pending == 80
    assert fetch.calls == [[10], [8]]


async def test_load_all_fails_every_key_when_the_batch_fails() -> None:
    async def broken(keys: Sequence[int]) -> list[int]:
        raise RuntimeError("down")

    loader: DataLoader[int, int] = DataLoader(broken)
    with pytest.raises(RuntimeError, match="down"):
        await load_all(loader, [1, 2])
    with pytest.raises(RuntimeError, match="down"):
        await loader.load(2)
