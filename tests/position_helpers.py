"""Shared by the positions tests: the mutations and the demo's organisations and people."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.models import AuditEntry, Organisation, Person, Position
from tests.helpers import Api, Result, gid

APPOINT = """
mutation ($input: AppointPositionInput!) {
  appointPosition(input: $input) { id title active person { id } organisation { id } }
}
"""
END = """
mutation ($input: EndPositionInput!) { endPosition(input: $input) { id active endDate } }
"""
POSITIONS = """
query ($f: PositionFilter) { positions(filter: $f, first: 100) { edges { node { id title } } } }
"""


async def org_named(api: Api, name: str) -> int:
    return int(await api.scalar(sa.select(Organisation.id).where(Organisation.name == name)))


async def org_ending(api: Api, suffix: str, compound: str) -> int:
    return int(
        await api.scalar(
            sa.select(Organisation.id).where(
                Organisation.compound_id == api.compound(compound),
                Organisation.name.endswith(suffix),  # type: ignore[attr-defined]
            )
        )
    )


async def resident(api: Api, index: int, compound: str) -> int:
    return int(
        await api.scalar(
            sa.select(Person.id)
            .where(Person.residence_compound_id == api.compound(compound))
            .order_by(Person.id)
            .offset(index)
            .limit(1)
        )
    )


async def appoint(api: Api, person: int, organisation: int, title: str, as_: str) -> Result:
    variables: dict[str, Any] = {
        "input": {
            "person": gid("Person", person),
            "organisation": gid("Organisation", organisation),
            "title": title,
        }
    }
    return await api.run(APPOINT, variables, as_=as_)


async def end(api: Api, position: int, as_: str) -> Result:
    return await api.run(END, {"input": {"id": gid("Position", position)}}, as_=as_)


async def position_count(api: Api) -> int:
    return int(await api.scalar(sa.select(sa.func.count()).select_from(Position)))


async def holder_position(api: Api, organisation: int, title: str) -> int:
    """The id of the latest position of TITLE in ORGANISATION."""
    return int(
        await api.scalar(
            sa.select(Position.id)
            .where(Position.organisation_id == organisation, Position.title == title)
            .order_by(Position.id.desc())  # type: ignore[union-attr]
            .limit(1)
        )
    )


async def last_entry(api: Api) -> AuditEntry:
    return (await api.audit_entries())[-1]
