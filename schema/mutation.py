"""The Mutation root: every field goes through resolvers.audited.run_mutation.

Turning the input into the resolvers' dataclasses can already fail (a
malformed id); such an attempt is audited as rejected before the error goes
back, so every call of every mutation leaves exactly one audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry

from resolvers import links, organisations, people, positions
from resolvers.audited import record_rejection
from resolvers.errors import DomainError
from schema.context import Info
from schema.inputs import (
    AppointPositionInput,
    CreateOrganisationInput,
    EndLinkInput,
    EndPositionInput,
    LinkOrganisationsInput,
    RegisterPersonInput,
    UpdateOrganisationInput,
    UpdatePersonInput,
)
from schema.types.link import OrganisationLinkType
from schema.types.organisation import OrganisationType
from schema.types.person import PersonType
from schema.types.position import PositionType

D = TypeVar("D")
INPUT = "What to change; see the input type."


def _sent(input: object) -> dict[str, Any]:
    return {k: v for k, v in vars(input).items() if v is not strawberry.UNSET}


async def _decode(
    info: Info, operation: str, resource: str, input: object, convert: Callable[[], D]
) -> D:
    try:
        return convert()
    except DomainError as error:
        await record_rejection(info.context, operation, resource, _sent(input), error)
        raise


@strawberry.type(description="Change the compound's governance data; every call is audited.")
class Mutation:
    @strawberry.mutation(
        description="Create an organisation under a parent that fits its kind. "
        "Needs organisation:create over the parent (admin; a secretary inside their compound)."
    )
    async def create_organisation(
        self,
        info: Info,
        input: Annotated[CreateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await _decode(info, "createOrganisation", "organisation", input, input.to_domain)
        return OrganisationType.from_row(
            await organisations.create_organisation(info.context, data)
        )

    @strawberry.mutation(description="Rename an organisation. Needs organisation:update over it.")
    async def update_organisation(
        self,
        info: Info,
        input: Annotated[UpdateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await _decode(info, "updateOrganisation", "organisation", input, input.to_domain)
        return OrganisationType.from_row(
            await organisations.update_organisation(info.context, data)
        )

    @strawberry.mutation(
        description="Register a person, usually a resident. Needs person:create over their "
        "residence compound (the secretary; admins anywhere)."
    )
    async def register_person(
        self,
        info: Info,
        input: Annotated[RegisterPersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await _decode(info, "registerPerson", "person", input, input.to_domain)
        return PersonType.from_row(await people.register_person(info.context, data))

    @strawberry.mutation(
        description="Change a person's record. Needs person:update over their residence compound, "
        "and over the new one when they move."
    )
    async def update_person(
        self,
        info: Info,
        input: Annotated[UpdatePersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await _decode(info, "updatePerson", "person", input, input.to_domain)
        return PersonType.from_row(await people.update_person(info.context, data))

    @strawberry.mutation(
        description="Appoint a person to a title. Needs position:create over the organisation "
        "(the compound's secretary). A single-holder title (SECRETARY, COMMITTEE_CHAIR) with an "
        "overlapping holder is a CONFLICT."
    )
    async def appoint_position(
        self,
        info: Info,
        input: Annotated[AppointPositionInput, strawberry.argument(description=INPUT)],
    ) -> PositionType:
        data = await _decode(info, "appointPosition", "position", input, input.to_domain)
        return PositionType.from_row(await positions.appoint_position(info.context, data))

    @strawberry.mutation(
        description="End a position; the access it granted ends that day. Needs position:end."
    )
    async def end_position(
        self, info: Info, input: Annotated[EndPositionInput, strawberry.argument(description=INPUT)]
    ) -> PositionType:
        data = await _decode(info, "endPosition", "position", input, input.to_domain)
        return PositionType.from_row(await positions.end_position(info.context, data))

    @strawberry.mutation(
        description="Link a firm or partner unit to a compound for a term. Needs link:create over "
        "the compound."
    )
    async def link_organisations(
        self,
        info: Info,
        input: Annotated[LinkOrganisationsInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationLinkType:
        data = await _decode(info, "linkOrganisations", "link", input, input.to_domain)
        return OrganisationLinkType.from_row(await links.link_organisations(info.context, data))

    @strawberry.mutation(description="End a link. Needs link:end over the compound.")
    async def end_link(
        self, info: Info, input: Annotated[EndLinkInput, strawberry.argument(description=INPUT)]
    ) -> OrganisationLinkType:
        data = await _decode(info, "endLink", "link", input, input.to_domain)
        return OrganisationLinkType.from_row(await links.end_link(info.context, data))
