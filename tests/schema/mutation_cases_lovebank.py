"""Cases of the every-mutation-is-audited walk for the stations and the love bank."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from db import clock
from db.models import (
    LedgerEntry,
    LedgerLine,
    PointsAccount,
    Reward,
    Station,
    StationDuty,
    StationFunctionRow,
    VolunteerService,
)
from tests.helpers import Api
from tests.issue_helpers import ok, person
from tests.lovebank_helpers import list_reward, record, resident, station
from tests.mutation_cases import Case

LEDGER_TABLES = (LedgerEntry, LedgerLine, PointsAccount)


async def _open_station(api: Api) -> dict[str, Any]:
    return {
        "compound": api.ids["compound_a"],
        "name": f"驛站-{uuid.uuid4().hex[:8]}",
        "functions": ["READING", "ELDER_CARE"],
    }


async def _set_duty(api: Api) -> dict[str, Any]:
    return {
        "station": await station(api),
        "person": await resident(api, "a", 14),
        "weekday": 3,
        "startsAt": "19:00",
        "endsAt": "21:00",
    }


async def _remove_duty(api: Api) -> dict[str, Any]:
    duty = await ok(api, "setStationDuty", await _set_duty(api), as_="secretary", selection="id")
    return {"id": duty["id"]}


async def _record_service(api: Api) -> dict[str, Any]:
    return {
        "volunteer": await resident(api, "a", 2),
        "compound": api.ids["compound_a"],
        "activity": "樓道清掃",
        "hours": 1.5,
        "occurredOn": (clock.today() - timedelta(days=1)).isoformat(),
    }


async def _confirm_service(api: Api) -> dict[str, Any]:
    service = await record(api, await person(api, "resident"), as_="secretary")
    return {"service": service["id"]}


async def _list_reward(api: Api) -> dict[str, Any]:
    return {"station": await station(api), "name": "毛巾", "cost": 10, "stock": 3}


async def _redeem(api: Api) -> dict[str, Any]:
    return {"reward": await list_reward(api, "毛巾", cost=5, stock=3), "quantity": 1}


LOVEBANK_CASES: dict[str, Case] = {
    "openStation": Case(
        "secretary", "committee_member", _open_station, Station, (StationFunctionRow,)
    ),
    "setStationDuty": Case("secretary", "resident", _set_duty, StationDuty),
    "removeStationDuty": Case("secretary", "committee_member", _remove_duty, StationDuty),
    "recordVolunteerService": Case(
        "secretary", "resident", _record_service, VolunteerService, LEDGER_TABLES
    ),
    "confirmVolunteerService": Case(
        "resident", "secretary", _confirm_service, VolunteerService, LEDGER_TABLES
    ),
    "listReward": Case("secretary", "committee_member", _list_reward, Reward),
    "redeemPoints": Case("resident", "supervisor", _redeem, Reward, LEDGER_TABLES),
}
