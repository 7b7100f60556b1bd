"""Walks every field of the Mutation type: each call writes exactly one audit entry,
whether it succeeds, is denied, or is refused for bad input, and a denial changes nothing.

A new mutation without a case here fails this test: add its case.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from db.models import Organisation, OrganisationLink, Person, Position
from schema.schema import schema
from tests.helpers import Api, gid

Variables = Callable[[Api], Awaitable[dict[str, Any]]]


async def _id(api: Api, statement: Any) -> int:
    return int(await api.scalar(statement))


async def _committee(api: Api) -> str:
    return gid(
        "Organisation",
        await _id(
            api,
            sa.select(Organisation.id).where(
                Organisation.kind == "OWNERS_COMMITTEE",
                Organisation.compound_id == api.compound("a"),
            ),
        ),
    )


async def _resident(api: Api, offset: int) -> str:
    return gid(
        "Person",
        await _id(
            api,
            sa.select(Person.id)
            .where(Person.residence_compound_id == api.compound("a"))
            .order_by(Person.id)
            .offset(offset)
            .limit(1),
        ),
    )


async def _position(api: Api) -> str:
    return gid(
        "Position",
        await _id(
            api,
            sa.select(Position.id)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .where(
                Organisation.kind == "OWNERS_COMMITTEE",
                Organisation.compound_id == api.compound("a"),
                Position.end_date.is_(None),
            )
            .limit(1),
        ),
    )


async def _link(api: Api) -> str:
    return gid(
        "OrganisationLink",
        await _id(
            api,
            sa.select(OrganisationLink.id).where(
                OrganisationLink.target_id == api.compound("a"),
                OrganisationLink.kind == "CO_BUILDS",
            ),
        ),
    )


async def _partner(api: Api) -> str:
    return gid(
        "Organisation",
        await _id(api, sa.select(Organisation.id).where(Organisation.kind == "PARTNER_UNIT")),
    )


@dataclass
class Case:
    allowed: str
    denied: str
    variables: Variables
    table: type[SQLModel]


async def _create_org(api: Api) -> dict[str, Any]:
    return {"name": "5號樓", "kind": "BUILDING", "parent": api.ids["compound_a"]}


async def _update_org(api: Api) -> dict[str, Any]:
    return {"id": await _committee(api), "name": "繼光花苑第二屆業主委員會"}


async def _register(api: Api) -> dict[str, Any]:
    return {"name": "新住戶", "compound": api.ids["compound_a"]}


async def _update_person(api: Api) -> dict[str, Any]:
    return {"id": await _resident(api, 2), "name": "改名的住戶"}


async def _appoint(api: Api) -> dict[str, Any]:
    return {
        "person": await _resident(api, 20),
        "organisation": await _committee(api),
        "title": "COMMITTEE_MEMBER",
    }


async def _end_position(api: Api) -> dict[str, Any]:
    return {"id": await _position(api)}


async def _link_orgs(api: Api) -> dict[str, Any]:
    return {
        "kind": "CO_BUILDS",
        "source": await _partner(api),
        "target": api.ids["compound_a"],
        "startDate": "2028-01-01",
    }


async def _end_link(api: Api) -> dict[str, Any]:
    return {"id": await _link(api)}


CASES: dict[str, Case] = {
    "createOrganisation": Case("secretary", "resident", _create_org, Organisation),
    "updateOrganisation": Case("secretary", "committee_member", _update_org, Organisation),
    "registerPerson": Case("secretary", "supervisor", _register, Person),
    "updatePerson": Case("secretary", "property_firm", _update_person, Person),
    "appointPosition": Case("secretary", "committee_member", _appoint, Position),
    "endPosition": Case("secretary", "resident", _end_position, Position),
    "linkOrganisations": Case("secretary", "supervisor", _link_orgs, OrganisationLink),
    "endLink": Case("admin", "resident", _end_link, OrganisationLink),
}


def mutation_fields() -> list[str]:
    mutation = schema._schema.mutation_type
    assert mutation is not None
    return sorted(mutation.fields)


def test_every_mutation_has_a_case() -> None:
    assert sorted(CASES) == mutation_fields()


def _document(name: str) -> str:
    field = schema._schema.mutation_type.fields[name]  # type: ignore[union-attr]
    input_type = field.args["input"].type
    return f"mutation ($input: {input_type}) {{ {name}(input: $input) {{ __typename }} }}"


async def _snapshot(api: Api, table: type[SQLModel]) -> list[tuple[Any, ...]]:
    async with api.db.read_sessions() as session:
        rows = await session.execute(sa.select(table).order_by(table.id))  # type: ignore[attr-defined]
        return [tuple(sorted(r.model_dump().items())) for r in rows.scalars().all()]


@pytest.mark.parametrize("name", mutation_fields())
async def test_success_writes_one_entry(api: Api, name: str) -> None:
    case = CASES[name]
    before = len(await api.audit_entries())
    result = await api.run(_document(name), {"input": await case.variables(api)}, as_=case.allowed)
    result.ok()
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].operation, entries[-1].outcome) == (name, "SUCCESS")
    assert entries[-1].changes, "a successful change records what changed"


@pytest.mark.parametrize("name", mutation_fields())
async def test_denial_writes_one_entry_and_changes_nothing(api: Api, name: str) -> None:
    case = CASES[name]
    before_rows = await _snapshot(api, case.table)
    before = len(await api.audit_entries())
    result = await api.run(_document(name), {"input": await case.variables(api)}, as_=case.denied)
    assert result.codes in (["FORBIDDEN"], ["NOT_FOUND"])
    assert await _snapshot(api, case.table) == before_rows
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert entries[-1].operation == name
    assert entries[-1].outcome in ("DENIED", "REJECTED")
    assert entries[-1].changes == []


@pytest.mark.parametrize("name", mutation_fields())
async def test_anonymous_attempt_is_audited(api: Api, name: str) -> None:
    case = CASES[name]
    before = len(await api.audit_entries())
    result = await api.run(_document(name), {"input": await case.variables(api)}, as_=None)
    assert result.codes == ["UNAUTHENTICATED"]
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert (entries[-1].outcome, entries[-1].actor_person_id) == ("DENIED", None)


@pytest.mark.parametrize("name", mutation_fields())
async def test_malformed_id_is_audited_as_rejected(api: Api, name: str) -> None:
    case = CASES[name]
    variables = await case.variables(api)
    id_field = next(
        k
        for k, v in variables.items()
        if isinstance(v, str) and k in ("id", "parent", "compound", "person", "source")
    )
    variables[id_field] = "not-an-id"
    before = len(await api.audit_entries())
    result = await api.run(_document(name), {"input": variables}, as_=case.allowed)
    assert result.codes == ["BAD_USER_INPUT"]
    assert "not an id this API gave out" in result.errors[0]["message"]
    entries = await api.audit_entries()
    assert len(entries) == before + 1
    assert entries[-1].outcome == "REJECTED"
