"""Inputs of people: the list filter and the register / update mutations."""

from __future__ import annotations

from datetime import date

import strawberry

from db.models import PartyMembership, PartyMemberStatus
from resolvers.people import actions as people_actions
from resolvers.people import queries as people
from schema.common.inputs import VERSION
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of people; all given conditions apply.")
class PersonFilter:
    compound: strawberry.ID | None = strawberry.field(
        default=None, description="Living in this compound."
    )
    building: strawberry.ID | None = strawberry.field(
        default=None, description="Living in this building."
    )
    subtree: strawberry.ID | None = strawberry.field(
        default=None, description="Living in a compound under this organisation."
    )
    holds_position_in: strawberry.ID | None = strawberry.field(
        default=None, description="Holding an active position in this organisation today."
    )
    party_membership: PartyMembership | None = strawberry.field(
        default=None,
        description="Party membership: matches only people whose party details you may read "
        "(permission person:read_party), since the filter reveals them.",
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Name contains this text."
    )

    def to_domain(self) -> people.PersonFilter:
        return people.PersonFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            building_id=decode_optional(self.building, "Organisation"),
            subtree_of=decode_optional(self.subtree, "Organisation"),
            holds_position_in=decode_optional(self.holds_position_in, "Organisation"),
            party_membership=self.party_membership,
            name_contains=self.name_contains,
        )


@strawberry.input(description="Party membership details of a person.")
class PartyDetailsInput:
    membership: PartyMembership = strawberry.field(description="Member or not.")
    status: PartyMemberStatus | None = strawberry.field(
        default=None, description="In service or retired."
    )
    joined_on: date | None = strawberry.field(default=None, description="When they joined.")
    reported_community: strawberry.ID | None = strawberry.field(
        default=None, description="The community an in-service member reported to."
    )


def _person_fields(
    *,
    name: str | object | None,
    phone: str | object | None,
    id_number: str | object | None,
    compound: strawberry.ID | object | None,
    building: strawberry.ID | object | None,
    unit: str | object | None,
    party: PartyDetailsInput | object | None,
    skills: list[str] | object | None,
) -> people_actions.PersonFields:
    """Only the fields the caller sent become changes (strawberry.UNSET means 'not sent')."""
    values: dict[str, object] = {}
    if name is not strawberry.UNSET:
        values["name"] = name
    if phone is not strawberry.UNSET:
        values["phone"] = phone
    if id_number is not strawberry.UNSET:
        values["id_number"] = id_number
    if compound is not strawberry.UNSET:
        values["residence_compound_id"] = decode_optional(compound, "Organisation")  # type: ignore[arg-type]
    if building is not strawberry.UNSET:
        values["residence_building_id"] = decode_optional(building, "Organisation")  # type: ignore[arg-type]
    if unit is not strawberry.UNSET:
        values["residence_unit"] = unit
    if party is not strawberry.UNSET:
        details = party if isinstance(party, PartyDetailsInput) else None
        values["party_membership"] = details.membership if details else PartyMembership.NONE
        values["party_member_status"] = details.status if details else None
        values["party_joined_on"] = details.joined_on if details else None
        values["party_reported_community_id"] = (
            decode_optional(details.reported_community, "Organisation") if details else None
        )
    if skills is not strawberry.UNSET:
        values["skills"] = skills
    return people_actions.PersonFields(**values)


@strawberry.input(description="A person to register, usually a resident of the compound.")
class RegisterPersonInput:
    name: str = strawberry.field(description="Full name.")
    phone: str | None = strawberry.field(default=None, description="Mobile phone (sensitive).")
    id_number: str | None = strawberry.field(
        default=None, description="18-character resident ID-card number (sensitive)."
    )
    compound: strawberry.ID | None = strawberry.field(
        default=None, description="Residence compound."
    )
    building: strawberry.ID | None = strawberry.field(
        default=None, description="Residence building, inside that compound."
    )
    unit: str | None = strawberry.field(default=None, description="Unit (flat) number.")
    party: PartyDetailsInput | None = strawberry.field(
        default=None, description="Party membership (sensitive)."
    )
    skills: list[str] | None = strawberry.field(
        default=None, description="Skills offered to neighbours."
    )

    def to_domain(self) -> people_actions.PersonFields:
        return _person_fields(
            name=self.name,
            phone=self.phone,
            id_number=self.id_number,
            compound=self.compound,
            building=self.building,
            unit=self.unit,
            party=self.party,
            skills=self.skills,
        )


@strawberry.input(description="Changes to a person; omitted fields stay, null clears a field.")
class UpdatePersonInput:
    id: strawberry.ID = strawberry.field(description="The person.")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Full name.")
    phone: str | None = strawberry.field(
        default=strawberry.UNSET, description="Mobile phone (sensitive)."
    )
    id_number: str | None = strawberry.field(
        default=strawberry.UNSET, description="ID-card number (sensitive)."
    )
    compound: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Residence compound."
    )
    building: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Residence building."
    )
    unit: str | None = strawberry.field(default=strawberry.UNSET, description="Unit (flat) number.")
    party: PartyDetailsInput | None = strawberry.field(
        default=strawberry.UNSET, description="Party membership (sensitive)."
    )
    skills: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Skills.")

    def to_domain(self) -> people_actions.UpdatePerson:
        return people_actions.UpdatePerson(
            id=decode_id(self.id, "Person"),
            expected_version=self.expected_version,
            changes=_person_fields(
                name=self.name,
                phone=self.phone,
                id_number=self.id_number,
                compound=self.compound,
                building=self.building,
                unit=self.unit,
                party=self.party,
                skills=self.skills,
            ),
        )
