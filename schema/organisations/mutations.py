"""Mutations of organisations and of the links between them; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.organisations import actions as organisations_actions
from resolvers.organisations import links
from resolvers.organisations.actions import CREATE_ORGANISATION, UPDATE_ORGANISATION
from resolvers.organisations.links import END_LINK, LINK_ORGANISATIONS
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
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
    @declared(CREATE_ORGANISATION, "Create an organisation under a parent that fits its kind.")
    async def create_organisation(
        self,
        info: Info,
        input: Annotated[CreateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await decode_input(info, CREATE_ORGANISATION, input, input.to_domain)
        return OrganisationType.from_row(
            await organisations_actions.create_organisation(info.context, data)
        )

    @declared(UPDATE_ORGANISATION, "Rename an organisation.")
    async def update_organisation(
        self,
        info: Info,
        input: Annotated[UpdateOrganisationInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationType:
        data = await decode_input(info, UPDATE_ORGANISATION, input, input.to_domain)
        return OrganisationType.from_row(
            await organisations_actions.update_organisation(info.context, data)
        )


@strawberry.type
class LinkMutation:
    @declared(LINK_ORGANISATIONS, "Link a firm or partner unit to a compound for a term.")
    async def link_organisations(
        self,
        info: Info,
        input: Annotated[LinkOrganisationsInput, strawberry.argument(description=INPUT)],
    ) -> OrganisationLinkType:
        data = await decode_input(info, LINK_ORGANISATIONS, input, input.to_domain)
        return OrganisationLinkType.from_row(await links.link_organisations(info.context, data))

    @declared(END_LINK, "End a link.")
    async def end_link(
        self, info: Info, input: Annotated[EndLinkInput, strawberry.argument(description=INPUT)]
    ) -> OrganisationLinkType:
        data = await decode_input(info, END_LINK, input, input.to_domain)
        return OrganisationLinkType.from_row(await links.end_link(info.context, data))
