"""Changing people: registering residents and updating their records; each audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import clock
from db.models import Organisation, OrganisationKind, PartyMembership, PartyMemberStatus, Person
from db.paths import ROOT
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import Text, coded, tr
from resolvers.mutations import Mutation, Place, RowMutation, bump
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
    session: AsyncSession, organisation_id: int, kind: OrganisationKind, label: Text
) -> Organisation:
    with session.no_autoflush:  # the person may already point at it: not before it is checked
        organisation = await session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind is not kind:
        raise BadUserInput(
            tr(
                "The {label} must be an organisation of kind {kind}.",
                label=label,
                kind=coded(kind),
            )
        )
    return organisation


async def _apply(
    session: AsyncSession, person: Person, values: dict[str, Any], record: AuditRecord
) -> str | None:
    """Validate and apply VALUES to PERSON; return the path of the (new) residence compound."""
    cleaners: dict[str, Callable[[Any], Any]] = {
        "name": lambda v: clean_name(v, tr("name")),
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
            session,
            person.residence_compound_id,
            OrganisationKind.COMPOUND,
            tr("residence compound"),
        )
        compound_path = compound.path
    if person.residence_building_id is not None:
        building = await _organisation_of_kind(
            session,
            person.residence_building_id,
            OrganisationKind.BUILDING,
            tr("residence building"),
        )
        if building.compound_id != person.residence_compound_id:
            raise BadUserInput(tr("The residence building must be in the residence compound."))
    if person.party_membership is PartyMembership.NONE and (
        person.party_member_status is not None or person.party_reported_community_id is not None
    ):
        raise BadUserInput(
            tr("Only a party member has a party-member status or a reporting community.")
        )
    if person.party_reported_community_id is not None:
        if person.party_member_status is not PartyMemberStatus.IN_SERVICE:
            raise BadUserInput(tr("Only an in-service party member reports to a community."))
        await _organisation_of_kind(
            session,
            person.party_reported_community_id,
            OrganisationKind.COMMUNITY,
            tr("reporting community"),
        )
    if person.party_joined_on is not None and person.party_joined_on > clock.today():
        raise BadUserInput(tr("The party joining date cannot be in the future."))
    return compound_path


async def _person_place(ctx: RequestContext, session: AsyncSession, person: Person) -> Place:
    path = await residence_path(session, person)
    return Place(person.residence_compound_id, path or ROOT, person_facts(person, path))


REGISTER_PERSON = Mutation(
    operation="registerPerson",
    resource=RESOURCE,
    action="create",
    what=tr("register people here"),
    needs=" over their residence compound (the secretary; admins anywhere)",
)
UPDATE_PERSON = RowMutation(
    operation="updatePerson",
    resource=RESOURCE,
    action="update",
    what=tr("change this person"),
    needs=" over their residence compound, and over the new one when they move",
    model=Person,
    noun=tr("person"),
    locate=_person_place,
    checks_version=True,
)


async def register_person(ctx: RequestContext, data: PersonFields) -> Person:
    """Where a new person lies is known once their fields are applied: no parent to find."""

    async def handler(session: AsyncSession, record: AuditRecord) -> Person:
        values = data.given()
        if "name" not in values:
            raise BadUserInput(tr("A person needs a name."))
        person = Person(name="")
        path = await _apply(session, person, values, record)
        record.target(None, person.residence_compound_id, path or ROOT)
        REGISTER_PERSON.authorize(ctx, record, RowFacts(paths=(path or ROOT,)))
        session.add(person)
        await session.flush()
        record.target(person.id, person.residence_compound_id, path or ROOT)
        return person

    return await REGISTER_PERSON.run(ctx, data.given(), handler)


async def update_person(ctx: RequestContext, data: UpdatePerson) -> Person:
    async def apply(session: AsyncSession, person: Person, record: AuditRecord) -> Person:
        old_path = await residence_path(session, person)
        new_path = await _apply(session, person, data.changes.given(), record)
        if new_path != old_path:
            # Moving someone in needs the right over the compound they move to as well.
            UPDATE_PERSON.authorize(
                ctx, record, person_facts(person, new_path or ROOT), tr("move this person there")
            )
        if record.changes:
            bump(person)
        await session.flush()
        return person

    input = {"id": data.id, "expected_version": data.expected_version, **data.changes.given()}
    return await UPDATE_PERSON.on(
        ctx, data.id, apply, data=input, expected_version=data.expected_version
    )
