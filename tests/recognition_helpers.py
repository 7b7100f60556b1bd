"""Helpers for the mentoring and commendation tests: the demo's people by their place in a
compound, inputs that succeed for the street officer, and the tables a refusal must leave
alone."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from db import clock
from db.models import Commendation, MentorPair, Person
from tests.disclosure_helpers import branch
from tests.helpers import Api, gid
from tests.issue_helpers import STREET, org

TABLES: tuple[type[SQLModel], ...] = (MentorPair, Commendation)
PAIR = "id startDate endDate note active version mentor { id } mentee { id } branch { id }"
HONOUR = "id kind year title citation withdrawnAt version person { id } organisation { id }"
LAST_YEAR = clock.today().year - 1


async def member(api: Api, compound: str, index: int) -> str:
    """The demo's person INDEX of COMPOUND (a0 is A's secretary, a3 a branch committee
    member, a6 the deputy secretary; b0 and b3 likewise in B)."""
    found = await api.scalar(
        sa.select(Person.id)
        .where(Person.residence_compound_id == api.compound(compound))
        .order_by(Person.id)
        .offset(index)
        .limit(1)
    )
    return gid("Person", int(found))


async def pair_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    """A new pairing the demo leaves free: the secretary mentors a branch committee member."""
    return {
        "branch": await branch(api, compound),
        "mentor": await member(api, compound, 0),
        "mentee": await member(api, compound, 3),
        "note": "帶教議事協商",
        **fields,
    }


async def open_pair(api: Api, compound: str = "a") -> dict[str, Any]:
    """The demo's running pairing in COMPOUND A (the secretary mentors the deputy)."""
    pair_id = await api.scalar(
        sa.select(MentorPair.id).where(
            MentorPair.compound_id == api.compound(compound), MentorPair.end_date.is_(None)
        )
    )
    return {"id": gid("MentorPair", int(pair_id))}


async def commend_input(api: Api, compound: str = "a", **fields: Any) -> dict[str, Any]:
    """An honour the demo has not given: the street names a branch committee member an
    outstanding party member of last year."""
    return {
        "kind": "EXCELLENT_PARTY_MEMBER",
        "year": LAST_YEAR,
        "title": f"{LAST_YEAR}年度蕉北街道優秀共產黨員",
        "citation": "帶頭開展“進萬家門”走訪。",
        "awardedBy": await org(api, STREET),
        "person": await member(api, compound, 3),
        **fields,
    }


async def honour_in(api: Api, compound: str = "a") -> dict[str, Any]:
    """One of the demo's commendations in COMPOUND."""
    honour_id = await api.scalar(
        sa.select(Commendation.id)
        .where(Commendation.compound_id == api.compound(compound))
        .order_by(Commendation.id)
        .limit(1)
    )
    return {"id": gid("Commendation", int(honour_id))}
