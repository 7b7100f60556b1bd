"""Helpers for the station and love-bank tests: demo people and tokens, ids, balances, and
the check that a refused mutation changed nothing and was audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import clock
from db.models import (
    AccountKind,
    LedgerEntry,
    LedgerLine,
    Person,
    PointsAccount,
    Reward,
    Station,
    StationDuty,
    VolunteerService,
)
from resolvers.tokens.bearer import issue_operator_token
from schema.ids import decode_id
from tests import mutation_cases
from tests.helpers import Api, Result, gid
from tests.issue_helpers import mutate

STATION_A = "繼光花苑近鄰紅色驛站"
STATION_B = "上東小區近鄰紅色驛站"
TEAM_A = "繼光花苑愛心志願服務隊"
# The demo's volunteer team leaders: resident 27 of each compound.
LEADER = 27
LOVE_BANK_TABLES: tuple[type[SQLModel], ...] = (
    Station,
    StationDuty,
    VolunteerService,
    Reward,
    PointsAccount,
    LedgerEntry,
    LedgerLine,
)

STATION = "id name address functions version compound { id }"
DUTY = "id weekday date startsAt endsAt role station { id } person { id }"
SERVICE = "id activity hours occurredOn points status version volunteer { id } recordedBy { id }"
REWARD = "id name cost stock version station { id }"
ENTRY = "id kind occurredOn memo quantity points lines { amount account { kind } }"


async def resident_id(api: Api, compound: str, number: int) -> int:
    """The demo resident COMPOUND+NUMBER ("a27"): residents are numbered in id order."""
    ids = await _all(
        api,
        sa.select(Person.id)
        .where(Person.residence_compound_id == api.compound(compound))
        .order_by(Person.id),
    )
    return int(ids[number])


async def resident(api: Api, compound: str, number: int) -> str:
    return gid("Person", await resident_id(api, compound, number))


async def token_for(api: Api, person_id: int) -> str:
    """A real token for any person (in the test's transaction); pass it as `as_`."""
    issued = await issue_operator_token(
        api.db, person_id=person_id, name="test", key=api.secret_key, lifetime=timedelta(days=1)
    )
    return issued.secret


async def leader_token(api: Api, compound: str = "a") -> str:
    return await token_for(api, await resident_id(api, compound, LEADER))


async def _all(api: Api, statement: Any) -> list[Any]:
    async with api.db.read_sessions() as session:
        return list((await session.execute(statement)).scalars().all())


async def station_id(api: Api, name: str = STATION_A) -> int:
    return int(await api.scalar(sa.select(Station.id).where(Station.name == name)))


async def station(api: Api, name: str = STATION_A) -> str:
    return gid("Station", await station_id(api, name))


async def reward(api: Api, name: str) -> str:
    return gid("Reward", int(await api.scalar(sa.select(Reward.id).where(Reward.name == name))))


async def balance(api: Api, person_id: int) -> int:
    """A person's balance straight from the ledger lines."""
    total = await api.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(LedgerLine.amount), 0))
        .join(PointsAccount, PointsAccount.id == LedgerLine.account_id)
        .where(PointsAccount.person_id == person_id, PointsAccount.kind == AccountKind.PERSON)
    )
    return int(total)


async def unbalanced_entries(api: Api) -> list[int]:
    """Ids of entries whose lines do not sum to zero (there must be none)."""
    return await _all(
        api,
        sa.select(LedgerLine.entry_id)
        .group_by(LedgerLine.entry_id)
        .having(sa.func.sum(LedgerLine.amount) != 0),
    )


async def overdrawn_accounts(api: Api) -> list[int]:
    """Ids of person accounts below zero (there must be none)."""
    return await _all(
        api,
        sa.select(PointsAccount.id)
        .join(LedgerLine, LedgerLine.account_id == PointsAccount.id)
        .where(PointsAccount.kind == AccountKind.PERSON)
        .group_by(PointsAccount.id)
        .having(sa.func.sum(LedgerLine.amount) < 0),
    )


async def snapshot(api: Api) -> list[list[tuple[Any, ...]]]:
    return await mutation_cases.snapshot(api, LOVE_BANK_TABLES)


async def refused(
    api: Api,
    name: str,
    input: dict[str, Any],
    as_: str,
    code: str,
    selection: str = "id",
    outcome: str | None = None,
) -> Result:
    """NAME is refused with CODE, changing none of the love-bank tables; see
    tests.mutation_cases.assert_refused."""
    return await mutation_cases.assert_refused(
        api,
        name,
        input,
        as_=as_,
        code=code,
        tables=LOVE_BANK_TABLES,
        selection=selection,
        outcome=outcome,
    )


async def record(
    api: Api, volunteer: str, *, as_: str, hours: float = 2, compound: str = "a", **fields: Any
) -> dict[str, Any]:
    input = {
        "volunteer": volunteer,
        "compound": api.ids[f"compound_{compound}"],
        "activity": "陪伴獨居老人",
        "hours": hours,
        "occurredOn": (clock.today() - timedelta(days=1)).isoformat(),
        **fields,
    }
    result = await mutate(api, "recordVolunteerService", input, as_=as_, selection=SERVICE)
    data: dict[str, Any] = result.ok()["recordVolunteerService"]
    return data


async def confirm(api: Api, service: str, *, as_: str) -> dict[str, Any]:
    result = await mutate(
        api, "confirmVolunteerService", {"service": service}, as_=as_, selection=SERVICE
    )
    data: dict[str, Any] = result.ok()["confirmVolunteerService"]
    return data


async def earn(
    api: Api, volunteer_as: str, volunteer_id: int, hours: float, days_ago: int = 1
) -> dict[str, Any]:
    """Recorded by the secretary (or, for the secretary, the committee member) for DAYS_AGO,
    then confirmed by the volunteer: HOURS × 10 points on the volunteer's account."""
    secretary = await resident_id(api, "a", 0)
    recorder = "committee_member" if volunteer_id == secretary else "secretary"
    day = (clock.today() - timedelta(days=days_ago)).isoformat()
    service = await record(
        api, gid("Person", volunteer_id), as_=recorder, hours=hours, occurredOn=day
    )
    return await confirm(api, service["id"], as_=volunteer_as)


async def list_reward(
    api: Api, name: str, cost: int, stock: int | None = None, at: str = STATION_A
) -> str:
    input: dict[str, Any] = {"station": await station(api, at), "name": name, "cost": cost}
    if stock is not None:
        input["stock"] = stock
    secretary = "secretary" if at == STATION_A else "admin"
    result = await mutate(api, "listReward", input, as_=secretary, selection=REWARD)
    reward_id: str = result.ok()["listReward"]["id"]
    return reward_id


async def redeem(api: Api, reward_id: str, quantity: int, *, as_: str) -> Result:
    return await mutate(
        api, "redeemPoints", {"reward": reward_id, "quantity": quantity}, as_=as_, selection=ENTRY
    )


def db_id(value: str, type_name: str) -> int:
    return decode_id(value, type_name)
