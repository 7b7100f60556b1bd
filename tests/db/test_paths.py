"""Materialised paths: the range form of a subtree equals the prefix test (property-based)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from db.paths import child_path, ids_on_path, in_subtree, upper_bound

ids = st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=7)


def _path(parts: list[int]) -> str:
    path = None
    for part in parts:
        path = child_path(path, part)
    assert path is not None
    return path


@given(ids, ids)
def test_range_equals_prefix(domain: list[int], row: list[int]) -> None:
    domain_path, row_path = _path(domain), _path(row)
    in_range = domain_path <= row_path < upper_bound(domain_path)
    assert in_range == in_subtree(row_path, domain_path)


@given(ids)
def test_ids_round_trip(parts: list[int]) -> None:
    assert ids_on_path(_path(parts)) == parts
