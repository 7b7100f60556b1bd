"""One clock: "now" in UTC for stored times, "today" on the China calendar.

Every read of the time in the service comes from here, so a test can stop it (at
23:59:59 on New Year's Eve, say) instead of sleeping or racing the machine's
midnight, and the date a request runs on is the compounds' date, not whatever zone
the server happens to be configured in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

# China Standard Time, the calendar the compounds live by. A fixed +08:00 is exactly
# Asia/Shanghai (no daylight saving since 1991) and needs no tz database on the host.
CHINA_TIME = timezone(timedelta(hours=8), "CST")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that stands still until told to move (tests)."""

    def __init__(self, moment: datetime) -> None:
        self.set(moment)

    def now(self) -> datetime:
        return self._moment

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a frozen clock needs an aware datetime")
        self._moment = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._moment += delta


SYSTEM = SystemClock()
_current: Clock = SYSTEM


def now() -> datetime:
    """The current moment in UTC, from the installed clock."""
    return _current.now()


def china_date(moment: datetime) -> date:
    """The day on the China calendar at MOMENT."""
    return moment.astimezone(CHINA_TIME).date()


def today() -> date:
    """Today on the China calendar, from the installed clock."""
    return china_date(_current.now())


def install(clock: Clock) -> Clock:
    """Make CLOCK the service's clock; returns the one it replaces."""
    global _current
    previous, _current = _current, clock
    return previous


@contextmanager
def frozen(at: datetime | str | None = None) -> Iterator[FrozenClock]:
    """Stop the clock at AT (an aware datetime or ISO 8601 text; default: now) meanwhile."""
    moment = datetime.fromisoformat(at) if isinstance(at, str) else (at or now())
    clock = FrozenClock(moment)
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)
