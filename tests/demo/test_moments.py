"""The demo's moments are never in the future, whatever the hour it is loaded at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.models import AuditEntry
from demo.sample.moments import china_hour, utc_hour
from tests.helpers import Api


def test_an_hour_of_chinas_today_that_has_not_struck_is_now() -> None:
    # 16:30 UTC: it is already the next day in China, whose morning is still to come.
    loaded_at = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    with clock.frozen(loaded_at):
        today = clock.today()
        assert today.day == 1  # 1 December in China
        assert utc_hour(today, 1) == loaded_at
        assert china_hour(today, 9) == loaded_at
        yesterday = today - timedelta(days=1)
        assert utc_hour(yesterday, 1) == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
        assert china_hour(yesterday, 9) == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


async def test_nothing_in_the_demo_happened_after_it_was_loaded(api: Api) -> None:
    latest = await api.scalar(sa.select(sa.func.max(col(AuditEntry.occurred_at))))
    assert latest <= clock.now()
