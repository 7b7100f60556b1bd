"""The signed-in caller, as `me` shows them."""

from __future__ import annotations

import strawberry

from db.paths import ids_on_path
from policies.grants import Grant
from schema.context import Info
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders
from schema.people.types import PersonType


@strawberry.type(description="One role the caller holds, over one part of the tree, and why.")
class RoleGrant:
    role: str = strawberry.field(
        description="secretary, committee_member, property_firm, resident, supervisor, admin "
        "or self."
    )
    source: str = strawberry.field(
        description="What grants it: a position, a contract, a residence."
    )
    _domain: strawberry.Private[str]

    @strawberry.field(
        description="The organisation whose subtree the role covers (null: the whole city)."
    )
    async def organisation(self, info: Info) -> OrganisationType | None:
        ids = ids_on_path(self._domain)
        if not ids:
            return None
        row = await organisations_loaders.organisation(info.context).load(ids[-1])
        return OrganisationType.from_row(row) if row else None

    @classmethod
    def from_grant(cls, grant: Grant) -> RoleGrant:
        return cls(role=grant.role, source=grant.source, _domain=grant.domain)


@strawberry.type(description="The caller: their person record and the roles they hold today.")
class Viewer:
    roles: list[RoleGrant] = strawberry.field(
        description="Roles held today, derived from positions, contracts and residence."
    )
    _person_id: strawberry.Private[int]

    @strawberry.field(description="The caller's own person record.")
    async def person(self, info: Info) -> PersonType | None:
        row = await loaders.person(info.context).load(self._person_id)
        return PersonType.from_row(row) if row else None
