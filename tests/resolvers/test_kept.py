"""Values kept per objects by identity: an equal object is not the same object."""

from __future__ import annotations

from resolvers.kept import KeptPer


def test_a_value_is_kept_for_the_very_objects_and_parts() -> None:
    kept: KeptPer[str] = KeptPer(8)
    scope, other = ["a"], ["a"]  # equal, not the same
    assert kept.keep((scope,), "issue", "statement") == "statement"
    assert kept.get((scope,), "issue") == "statement"
    assert kept.get((other,), "issue") is None
    assert kept.get((scope,), "person") is None
    assert kept.get((scope, other), "issue") is None


def test_the_least_recently_used_goes_first() -> None:
    kept: KeptPer[int] = KeptPer(2)
    first, second, third = object(), object(), object()
    kept.keep((first,), (), 1)
    kept.keep((second,), (), 2)
    assert kept.get((first,)) == 1  # used: second is now the oldest
    kept.keep((third,), (), 3)
    assert kept.get((second,)) is None
    assert (kept.get((first,)), kept.get((third,))) == (1, 3)
