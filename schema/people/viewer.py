"""The signed-in caller, as `me` shows them."""

from __future__ import annotations

from typing import cast

import strawberry

from db.paths import ids_on_path
from policies.grants import Grant
from schema.common.compiled_nodes import compiled_node
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
    _grants: strawberry.Private[tuple[Grant, ...]]
    _person_id: strawberry.Private[int]

    # Built when asked for: most `me` queries want the name only.
    @strawberry.field(
        description="Roles held today, derived from positions, contracts and residence."
    )
    def roles(self) -> list[RoleGrant]:
        return [RoleGrant.from_grant(grant) for grant in self._grants]

    @strawberry.field(description="The caller's own person record.")
    async def person(self, info: Info) -> PersonType | None:
        # Compiled as `node` reads a person, when the selection compiles.
        read = compiled_node(info, "Person")
        if read is not None:
            return cast(PersonType | None, await read(self._person_id))
        row = await loaders.person(info.context).load(self._person_id)
        return PersonType.from_row(row) if row else None
