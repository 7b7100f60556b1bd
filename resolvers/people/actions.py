"""Changing people: registering residents and updating their records; each audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import clock
from db.models import Organisation, OrganisationKind, PartyMembership, PartyMemberStatus, Person
from db.paths import ROOT
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord, run_mutation
from resolvers.common import check_version, locked, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.people.queries import RESOURCE, person_facts, residence_path
from resolvers.text import clean_name
from resolvers.validation import clean_id_number, clean_phone, clean_skills

UNSET: Any = object()


@dataclass(frozen=True)
class PersonFields:
    """Registrable fields; on update, UNSET leaves a field as it is."""

    name: Any = UNSET
    phone: Any = UNSET
    id_number: Any = UNSET
    residence_compound_id: Any = UNSET
    residence_building_id: Any = UNSET
    residence_unit: Any = UNSET
    party_membership: Any = UNSET
    party_member_status: Any = UNSET
    party_joined_on: Any = UNSET
    party_reported_community_id: Any = UNSET
    skills: Any = UNSET

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) is not UNSET
        }


@dataclass(frozen=True)
class UpdatePerson:
    id: int
    changes: PersonFields
    expected_version: int | None = None


async def _organisation_of_kind(
    session: AsyncSession, organisation_id: int, kind: OrganisationKind, label: str
) -> Organisation:
    with session.no_autoflush:  # the person may already point at it: not before it is checked
        organisation = await session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind is not kind:
        raise BadUserInput(f"The {label} must be an organisation of kind {kind.value}.")
    return organisation


async def _apply(
    session: AsyncSession, person: Person, values: dict[str, Any], record: AuditRecord
) -> str | None:
    """Validate and apply VALUES to PERSON; return the path of the (new) residence compound."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: clean_name(v, "name"),
        "phone": clean_phone,
        "id_number": clean_id_number,
        "skills": lambda v: clean_skills(v) or [],
        "residence_unit": lambda v: (v or "").strip() or None,
    }
    for name, value in values.items():
        cleaned = cleaners[name](value) if name in cleaners else value
        record.change(name, getattr(person, name), cleaned)
        setattr(person, name, cleaned)
    compound_path: str | None = None
    if person.residence_compound_id is not None:
        compound = await _organisation_of_kind(
            session, person.residence_compound_id, OrganisationKind.COMPOUND, "residence compound"
        )
        compound_path = compound.path
    if person.residence_building_id is not None:
        building = await _organisation_of_kind(
            session, person.residence_building_id, OrganisationKind.BUILDING, "residence building"
        )
        if building.compound_id != person.residence_compound_id:
            raise BadUserInput("The residence building must be in the residence compound.")
    if person.party_membership is PartyMembership.NONE and (
        person.party_member_status is not None or person.party_reported_community_id is not None
    ):
        raise BadUserInput(
            "Only a party member has a party-member status or a reporting community."
        )
    if person.party_reported_community_id is not None:
        if person.party_member_status is not PartyMemberStatus.IN_SERVICE:
            raise BadUserInput("Only an in-service party member reports to a community.")
        await _organisation_of_kind(
            session,
            person.party_reported_community_id,
            OrganisationKind.COMMUNITY,
            "reporting community",
        )
    if person.party_joined_on is not None and person.party_joined_on > clock.today():
        raise BadUserInput("The party joining date cannot be in the future.")
    return compound_path


async def register_person(ctx: RequestContext, data: PersonFields) -> Person:
    async def handler(session: AsyncSession, record: AuditRecord) -> Person:
        values = data.given()
        if "name" not in values:
            raise BadUserInput("A person needs a name.")
        person = Person(name="")
        path = await _apply(session, person, values, record)
        record.target(None, person.residence_compound_id, path or ROOT)
        record.authorize(
            ctx.auth.decide(RESOURCE, "create"),
            RowFacts(paths=(path or ROOT,)),
            "register people here",
        )
        session.add(person)
        await session.flush()
        record.target(person.id, person.residence_compound_id, path or ROOT)
        return person

    return await run_mutation(
        ctx, operation="registerPerson", resource_type=RESOURCE, input=data.given(), handler=handler
    )


async def update_person(ctx: RequestContext, data: UpdatePerson) -> Person:
    async def handler(session: AsyncSession, record: AuditRecord) -> Person:
        await visible_one(ctx, session, Person, RESOURCE, data.id, "person")
        person = await locked(session, Person, data.id, "person")
        decision = ctx.auth.decide(RESOURCE, "update")
        old_path = await residence_path(session, person)
        record.target(person.id, person.residence_compound_id, old_path or ROOT)
        record.authorize(decision, person_facts(person, old_path or ROOT), "change this person")
        check_version(person, data.expected_version, "person")
        new_path = await _apply(session, person, data.changes.given(), record)
        if new_path != old_path:
            # Moving someone in needs the right over the compound they move to as well.
            record.authorize(
                decision, person_facts(person, new_path or ROOT), "move this person there"
            )
        if record.changes:
            person.version += 1
            person.updated_at = utcnow()
        await session.flush()
        return person

    return await run_mutation(
        ctx,
        operation="updatePerson",
        resource_type=RESOURCE,
        input={"id": data.id, "expected_version": data.expected_version, **data.changes.given()},
        handler=handler,
    )
