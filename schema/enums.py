"""GraphQL enums, taken from the domain's own enumerations."""

from __future__ import annotations

import strawberry

from db.models import LinkKind, OrganisationKind, PartyMembership, PartyMemberStatus, PositionTitle

OrganisationKindEnum = strawberry.enum(
    OrganisationKind,
    name="OrganisationKind",
    description="What an organisation is: a level of the city tree, or a body in or beside "
    "a compound.",
)
LinkKindEnum = strawberry.enum(
    LinkKind,
    name="LinkKind",
    description="SERVES: a property firm serves a compound under a contract. "
    "CO_BUILDS: a partner unit or social organisation co-builds with a compound.",
)
PartyMembershipEnum = strawberry.enum(
    PartyMembership, name="PartyMembership", description="Whether a person is a party member."
)
PartyMemberStatusEnum = strawberry.enum(
    PartyMemberStatus,
    name="PartyMemberStatus",
    description="IN_SERVICE: working, reports to the residence community; RETIRED: retired member.",
)
PositionTitleEnum = strawberry.enum(
    PositionTitle,
    name="PositionTitle",
    description="The title of a position; each fits some kinds of organisation only.",
)
