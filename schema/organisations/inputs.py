"""Inputs of organisations and links: one per mutation, plus the list filter. Each converts
itself to the resolvers' plain dataclasses, decoding global ids on the way."""

from __future__ import annotations

from datetime import date

import strawberry

from db.models import LinkKind, OrganisationKind
from resolvers.organisations import actions as organisations_actions
from resolvers.organisations import links
from resolvers.organisations import queries as organisations
from schema.common.inputs import VERSION
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of organisations; all given conditions apply.")
class OrganisationFilter:
    kinds: list[OrganisationKind] | None = strawberry.field(
        default=None, description="Any of these kinds."
    )
    parent: strawberry.ID | None = strawberry.field(
        default=None, description="Directly under this organisation."
    )
    compound: strawberry.ID | None = strawberry.field(
        default=None, description="Belonging to this compound (the compound itself included)."
    )
    subtree: strawberry.ID | None = strawberry.field(
        default=None, description="This organisation and everything below it."
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Name contains this text."
    )

    def to_domain(self) -> organisations.OrganisationFilter:
        return organisations.OrganisationFilter(
            kinds=self.kinds,
            parent_id=decode_optional(self.parent, "Organisation"),
            compound_id=decode_optional(self.compound, "Organisation"),
            subtree_of=decode_optional(self.subtree, "Organisation"),
            name_contains=self.name_contains,
        )


@strawberry.input(description="A new organisation.")
class CreateOrganisationInput:
    name: str = strawberry.field(description="Display name (1–200 characters).")
    kind: OrganisationKind = strawberry.field(description="What it is; decides which parents fit.")
    parent: strawberry.ID | None = strawberry.field(
        default=None, description="The organisation it sits under; omitted only for a CITY."
    )

    def to_domain(self) -> organisations_actions.CreateOrganisation:
        return organisations_actions.CreateOrganisation(
            name=self.name, kind=self.kind, parent_id=decode_optional(self.parent, "Organisation")
        )


@strawberry.input(description="Changes to an organisation; omitted fields stay as they are.")
class UpdateOrganisationInput:
    id: strawberry.ID = strawberry.field(description="The organisation.")
    name: str | None = strawberry.field(default=None, description="New display name.")
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> organisations_actions.UpdateOrganisation:
        return organisations_actions.UpdateOrganisation(
            id=decode_id(self.id, "Organisation"),
            name=self.name,
            expected_version=self.expected_version,
        )


@strawberry.input(description="Link two organisations for a term.")
class LinkOrganisationsInput:
    kind: LinkKind = strawberry.field(
        description="SERVES (firm → compound) or CO_BUILDS (partner → compound)."
    )
    source: strawberry.ID = strawberry.field(description="The firm or partner unit.")
    target: strawberry.ID = strawberry.field(description="The compound.")
    start_date: date | None = strawberry.field(
        default=None, description="First day; today when omitted."
    )
    end_date: date | None = strawberry.field(default=None, description="The day it ends, if known.")

    def to_domain(self) -> links.LinkOrganisations:
        return links.LinkOrganisations(
            kind=self.kind,
            source_id=decode_id(self.source, "Organisation"),
            target_id=decode_id(self.target, "Organisation"),
            start_date=self.start_date,
            end_date=self.end_date,
        )


@strawberry.input(description="End a link between organisations.")
class EndLinkInput:
    id: strawberry.ID = strawberry.field(description="The link.")
    end_date: date | None = strawberry.field(
        default=None, description="The day it ends; today when omitted."
    )
    expected_version: int | None = strawberry.field(default=None, description=VERSION)

    def to_domain(self) -> links.EndLink:
        return links.EndLink(
            id=decode_id(self.id, "OrganisationLink"),
            end_date=self.end_date,
            expected_version=self.expected_version,
        )
