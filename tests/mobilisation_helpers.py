"""Helpers for the mobilisation tests: sending through the API, the tables a refusal must
leave alone, and the fields read back."""

from __future__ import annotations

from typing import Any

from sqlmodel import SQLModel

from db.models import Mobilisation, MobilisationRecipient, OutboxEvent
from tests.disclosure_helpers import branch
from tests.helpers import Api
from tests.issue_helpers import ok

MOBILISATION_TABLES: tuple[type[SQLModel], ...] = (Mobilisation, MobilisationRecipient, OutboxEvent)
CALL = """id title urgency groups status version targeted acknowledged reported turnoutRate
reportRate averageResponseMinutes medianResponseMinutes sender { id } target { id }
myAnswer { id acknowledgedAt reportedAt outcome report }"""
ANSWER = "id group acknowledgedAt reportedAt outcome report responseMinutes version"


async def send_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    return {
        "sender": await branch(api, compound),
        "title": "防汛應急：轉移地下車庫車輛",
        "instructions": "請30分鐘內到地下車庫入口集合。",
        "urgency": "EMERGENCY",
        "groups": ["PARTY_MEMBER"],
        **fields,
    }


async def send(
    api: Api, compound: str = "a", as_: str = "secretary", **fields: Any
) -> dict[str, Any]:
    return await ok(
        api, "sendMobilisation", await send_input(api, compound, **fields), as_=as_, selection=CALL
    )


async def sent_id(api: Api, compound: str = "a", as_: str = "secretary") -> str:
    return str((await send(api, compound, as_))["id"])
