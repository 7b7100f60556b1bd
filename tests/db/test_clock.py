"""The one clock and the one statement of "in force on a day"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from db import clock
from db.periods import in_force, in_force_during_sql, in_force_sql
from db.types import utcnow

EVE = datetime(2026, 12, 31, 23, 59, 59, tzinfo=clock.CHINA_TIME)


def test_now_is_aware_utc_and_today_is_the_china_date() -> None:
    with clock.frozen(datetime(2026, 6, 30, 17, 0, tzinfo=UTC)):
        assert clock.now().tzinfo is UTC and utcnow() == clock.now()
        assert clock.today() == date(2026, 7, 1)  # 01:00 in China


def test_a_frozen_clock_stands_still_moves_when_told_and_is_put_back() -> None:
    running = clock.install(clock.SYSTEM)  # the run's clock (JINLIN_TEST_CLOCK may set one)
    clock.install(running)
    with clock.frozen("2026-12-31T23:59:59+08:00") as stopped:
        assert clock.now() == clock.now() == EVE
        assert clock.today() == date(2026, 12, 31)
        stopped.advance(timedelta(seconds=1))
        assert clock.today() == date(2027, 1, 1)
        assert clock.now().date() == date(2026, 12, 31)  # still the old year in UTC
    assert clock.install(running) is running  # frozen() put the run's clock back


def test_a_frozen_clock_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        clock.FrozenClock(datetime(2026, 12, 31, 23, 59, 59))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 31), False),
        (date(2026, 2, 1), True),  # from the start date
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),  # up to, not including, the end date
    ],
)
def test_in_force_runs_from_the_start_up_to_the_end(day: date, expected: bool) -> None:
    assert in_force(date(2026, 2, 1), date(2027, 1, 1), day) is expected
    assert in_force(date(2026, 2, 1), None, day) is (day >= date(2026, 2, 1))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 2, 1), date(2027, 1, 1)),
        (date(2026, 2, 1), None),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2027, 1, 1), None),
        (date(2025, 1, 1), date(2026, 1, 1)),
    ],
)
def test_the_sql_form_agrees_with_the_row_form(start: date, end: date | None) -> None:
    engine = sa.create_engine("sqlite://")
    terms = sa.table("terms", sa.column("start", sa.Date), sa.column("end", sa.Date))
    days = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1)]
    with engine.connect() as connection:
        connection.execute(sa.text('CREATE TABLE terms (start DATE, "end" DATE)'))
        connection.execute(sa.insert(terms).values(start=start, end=end))
        for day in days:
            sql = sa.select(in_force_sql(terms.c.start, terms.c.end, day)).select_from(terms)
            assert bool(connection.execute(sql).scalar()) is in_force(start, end, day)
        during = in_force_during_sql(terms.c.start, terms.c.end, date(2026, 1, 1), EVE.date())
        in_2026 = connection.execute(sa.select(during).select_from(terms)).scalar()
        expected = any(in_force(start, end, date(2026, 1, 1) + timedelta(n)) for n in range(365))
        assert bool(in_2026) is expected
