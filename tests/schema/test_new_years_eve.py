"""The date-sensitive rules at 23:59:59 on 31 December (China time) and one second later.

Each test stops the service's clock on New Year's Eve of the current year and moves it
across midnight: what ends on 1 January holds until the last second of the year and
not a second after, whether the rule is judged in Python or in SQL. The rest of the
suite runs on the machine's clock (or JINLIN_TEST_CLOCK).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.clock import CHINA_TIME, FrozenClock
from db.models import ApiToken, Position, PositionTitle
from resolvers.errors import Unauthenticated
from schema.ids import decode_id
from tests.evaluation_helpers import open_input
from tests.evaluation_helpers import refused as evaluation_refused
from tests.evaluation_helpers import run as run_evaluation
from tests.helpers import Api
from tests.issue_helpers import found_ids, person_id, report
from tests.lovebank_helpers import SERVICE, resident
from tests.lovebank_helpers import refused as lovebank_refused
from tests.partner_setup import issue as issue_token

ONE_SECOND = timedelta(seconds=1)
ROLES = "query { me { roles { role } } }"
ISSUE = "query ($id: ID!) { node(id: $id) { ... on Issue { overdue dueAt } } }"


@pytest.fixture
async def eve(api: Api) -> AsyncIterator[FrozenClock]:
    last_second = datetime(clock.today().year, 12, 31, 23, 59, 59, tzinfo=CHINA_TIME)
    # The demo's tokens last 30 days from the seeding: the live ones keep their remaining
    # life across the jump (in the test's transaction, rolled back after it).
    jump = last_second - clock.now()
    async with api.db.write() as session:
        live = await session.execute(
            sa.select(ApiToken).where(col(ApiToken.expires_at) > clock.now())
        )
        for token in live.scalars():
            token.expires_at += jump
    with clock.frozen(last_second) as stopped:
        yield stopped


def new_years_day() -> date:
    """1 January of the year after the clock's today (read it before moving the clock)."""
    return date(clock.today().year + 1, 1, 1)


def test_the_day_is_chinas_while_utc_is_still_in_the_old_year(eve: FrozenClock) -> None:
    assert clock.today() == date(clock.now().year, 12, 31)
    eve.advance(ONE_SECOND)
    assert clock.now().astimezone(CHINA_TIME).hour == 0
    # At 00:00 in Ningde it is 16:00 the day before in UTC: the day is the China one.
    assert clock.now().date() == date(clock.today().year - 1, 12, 31)
    assert clock.today().month == 1 and clock.today().day == 1


async def test_an_office_ending_on_new_years_day_is_held_until_midnight(
    api: Api, eve: FrozenClock
) -> None:
    async with api.db.write() as session:
        await session.execute(
            sa.update(Position)
            .where(
                col(Position.person_id) == await person_id(api, "secretary"),
                col(Position.title) == PositionTitle.SECRETARY,
            )
            .values(end_date=new_years_day())
        )

    async def roles() -> set[str]:
        return {r["role"] for r in (await api.run(ROLES, as_="secretary")).ok()["me"]["roles"]}

    assert "secretary" in await roles()
    eve.advance(ONE_SECOND)
    assert "secretary" not in await roles()


async def test_a_token_expiring_at_midnight_is_refused_from_midnight(
    api: Api, eve: FrozenClock
) -> None:
    midnight = datetime.combine(new_years_day(), datetime.min.time(), CHINA_TIME)
    secret = (await issue_token(api, scopes=["ISSUES_READ"], expiresAt=midnight.isoformat()))[
        "secret"
    ]
    ctx = await api.context(secret)
    await ctx.close()
    eve.advance(ONE_SECOND)
    with pytest.raises(Unauthenticated, match="expired"):
        await api.context(secret)


async def test_an_issue_turns_overdue_when_its_due_time_passes_in_the_new_year(
    api: Api, eve: FrozenClock
) -> None:
    issue = await report(api)
    due = datetime.fromisoformat(issue["dueAt"])
    assert due > clock.now() and issue["overdue"] is False
    eve.set(due)  # due, not yet late
    overdue = {"overdue": True, "search": issue["title"]}
    assert await found_ids(api, overdue, "secretary") == []
    eve.advance(ONE_SECOND)
    # Late both in SQL (the filter) and in Python (the field), by the same clock.
    assert await found_ids(api, overdue, "secretary") == [issue["id"]]
    node = (await api.run(ISSUE, {"id": issue["id"]}, as_="secretary")).ok()["node"]
    assert node["overdue"] is True


async def test_service_on_new_years_day_is_recorded_from_midnight(
    api: Api, eve: FrozenClock
) -> None:
    day = new_years_day()
    input = {
        "volunteer": await resident(api, "a", 2),
        "compound": api.ids["compound_a"],
        "activity": "跨年夜巡邏",
        "hours": 2,
        "occurredOn": day.isoformat(),
    }
    name = "recordVolunteerService"
    result = await lovebank_refused(api, name, input, "secretary", "BAD_USER_INPUT")
    assert "not ahead" in result.errors[0]["message"]
    eve.advance(ONE_SECOND)
    recorded = await api.run(
        f"mutation ($input: RecordVolunteerServiceInput!) {{ {name}(input: $input) {{ {SERVICE} }} }}",
        {"input": input},
        as_="secretary",
    )
    assert recorded.ok()[name]["occurredOn"] == day.isoformat()


async def test_next_years_evaluation_opens_at_midnight(api: Api, eve: FrozenClock) -> None:
    year = new_years_day().year
    input = await open_input(api, year=year)
    await evaluation_refused(
        api, "openEvaluation", input, "secretary", "BAD_USER_INPUT", "this year or last"
    )
    eve.advance(ONE_SECOND)
    opened = (await run_evaluation(api, "openEvaluation", input, as_="secretary")).ok()
    assert opened["openEvaluation"]["year"] == year
    assert decode_id(opened["openEvaluation"]["id"], "Evaluation") > 0
