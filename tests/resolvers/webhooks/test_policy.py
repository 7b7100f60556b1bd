"""The dispatcher's rules: backoff with jitter, and when an endpoint is disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from resolvers.webhooks.policy import DisablePolicy, RetryPolicy


def test_backoff_doubles_up_to_its_cap_with_jitter_in_the_upper_half() -> None:
    low = RetryPolicy(base_seconds=10, cap_seconds=60, jitter=lambda: 0.0)
    high = RetryPolicy(base_seconds=10, cap_seconds=60, jitter=lambda: 0.999999)
    assert [low.delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 30, 30]
    assert [round(high.delay(n).total_seconds()) for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]


def test_an_endpoint_is_disabled_after_enough_failures_over_the_window() -> None:
    policy = DisablePolicy(failures=3, window=timedelta(minutes=10))
    since = datetime(2026, 11, 30, tzinfo=UTC)
    assert not policy.should_disable(2, since, since + timedelta(hours=1))
    assert not policy.should_disable(3, since, since + timedelta(minutes=9))
    assert policy.should_disable(3, since, since + timedelta(minutes=10))
