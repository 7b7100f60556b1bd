"""GraphQL names and descriptions of the organisation and link enums."""

from __future__ import annotations

import strawberry

from db.models import LinkKind, OrganisationKind
from resolvers.organisations.queries import OrganisationOrder

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


OrganisationOrderEnum = strawberry.enum(
    OrganisationOrder,
    name="OrganisationOrder",
    description="NAME (A to Z, then by id) or NEWEST (latest added first).",
)
