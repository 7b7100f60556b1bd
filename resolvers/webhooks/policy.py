"""The dispatcher's rules: when a failed delivery is tried again, when an endpoint has failed
for long enough to be disabled, how long a claim holds, where it may send."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: after failed attempt n the wait is drawn from
    [d/2, d], d = min(cap, base * 2**(n-1)) ("equal jitter": never a burst of retries at
    once, never much sooner than the backoff promises). A delivery is given up on after
    MAX_ATTEMPTS attempts."""

    base_seconds: float = 30.0
    cap_seconds: float = 6 * 3600.0
    max_attempts: int = 12
    # A number in [0, 1): random in service, fixed in tests.
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int) -> timedelta:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        return timedelta(seconds=ceiling / 2 + ceiling / 2 * self.jitter())


@dataclass(frozen=True)
class DisablePolicy:
    """An endpoint is disabled once FAILURES attempts in a row have failed over at least
    WINDOW: a receiver down for a few minutes is retried, one gone for a day is not."""

    failures: int = 20
    window: timedelta = timedelta(hours=24)

    def should_disable(self, consecutive: int, failing_since: datetime, now: datetime) -> bool:
        return consecutive >= self.failures and now - failing_since >= self.window


@dataclass(frozen=True)
class DispatchPolicy:
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    disable: DisablePolicy = field(default_factory=DisablePolicy)
    # How long a claimed delivery is left to its dispatcher before another may send it.
    lease: timedelta = timedelta(minutes=2)
    timeout_seconds: float = 10.0
    batch: int = 50
    # POSTs in flight at once per dispatcher.
    concurrency: int = 8
    # Send to loopback and private addresses (development, tests); refused otherwise so an
    # endpoint cannot make the server call into its own network.
    allow_private_addresses: bool = False
