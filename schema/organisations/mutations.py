"""Mutations of organisations and of the links between them; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.organisations import actions as organisations_actions
from resolvers.organisations import links
from schema.context import Info
from schema.mutation_support import INPUT, decode_input_as
from schema.organisations.inputs import (
    CreateOrganisationInput,
    EndLinkInput,
    LinkOrganisationsInput,
    UpdateOrganisationInput,
)
from schema.organisations.link_types import OrganisationLinkType
from schema.organisations.types import OrganisationType


@strawberry.type
class OrganisationMutation:
    @strawberry.mutation(
        description="Create an organisation under a parent that fits its kind. "
        "Needs organisation:create over the parent (admin; a secretary inside their compound)."
    )
    async def create_organisation(
        self,
        info: Info,
        input: Annotated[CreateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await decode_input_as(
            info, "createOrganisation", "organisation", input, input.to_domain
        )
        return OrganisationType.from_row(
            await organisations_actions.create_organisation(info.context, data)
        )

    @strawberry.mutation(description="Rename an organisation. Needs organisation:update over it.")
    async def update_organisation(
        self,
        info: Info,
        input: Annotated[UpdateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await decode_input_as(
            info, "updateOrganisation", "organisation", input, input.to_domain
        )
        return OrganisationType.from_row(
            await organisations_actions.update_organisation(info.context, data)
        )


@strawberry.type
class LinkMutation:
    @strawberry.mutation(
        description="Link a firm or partner unit to a compound for a term. Needs link:create over "
        "the compound."
    )
    async def link_organisations(
        self,
        info: Info,
        input: Annotated[LinkOrganisationsInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationLinkType:
        data = await decode_input_as(info, "linkOrganisations", "link", input, input.to_domain)
        return OrganisationLinkType.from_row(await links.link_organisations(info.context, data))

    @strawberry.mutation(description="End a link. Needs link:end over the compound.")
    async def end_link(
        self, info: Info, input: Annotated[EndLinkInput, strawberry.argument(description=INPUT)]
    ) -> OrganisationLinkType:
        data = await decode_input_as(info, "endLink", "link", input, input.to_domain)
        return OrganisationLinkType.from_row(await links.end_link(info.context, data))
