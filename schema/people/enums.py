"""GraphQL names and descriptions of the party membership enums."""

from __future__ import annotations

import strawberry

from db.models import PartyMembership, PartyMemberStatus
from resolvers.people.queries import PersonOrder

PartyMembershipEnum = strawberry.enum(
    PartyMembership, name="PartyMembership", description="Whether a person is a party member."
)


PartyMemberStatusEnum = strawberry.enum(
    PartyMemberStatus,
    name="PartyMemberStatus",
    description="IN_SERVICE: working, reports to the residence community; RETIRED: retired member.",
)


PersonOrderEnum = strawberry.enum(
    PersonOrder,
    name="PersonOrder",
    description="NAME (A to Z, then by id) or NEWEST (latest added first).",
)
