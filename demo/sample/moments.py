"""When the demo's stories happen: a day and an hour, never later than now.

The demo writes history. A moment still to come (an hour of today that has not struck yet:
the demo's "today" is China's day, which starts at 16:00 UTC) would date audit entries after
every real one, and a filter on "from now on" would find them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from db import clock


def utc_hour(day: date, hour: float) -> datetime:
    """HOUR hours into DAY (UTC), or now if that is still to come."""
    return min(datetime.combine(day, time(0), UTC) + timedelta(hours=hour), clock.now())


def china_hour(day: date, hour: int) -> datetime:
    """HOUR o'clock of DAY in China, or now if that is still to come."""
    return min(datetime.combine(day, time(hour), clock.CHINA_TIME).astimezone(UTC), clock.now())
