"""Mutations of people; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.people import actions as people_actions
from schema.context import Info
from schema.mutation_support import INPUT, decode_input_as
from schema.people.inputs import RegisterPersonInput, UpdatePersonInput
from schema.people.types import PersonType


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(
        description="Register a person, usually a resident. Needs person:create over their "
        "residence compound (the secretary; admins anywhere)."
    )
    async def register_person(
        self,
        info: Info,
        input: Annotated[RegisterPersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await decode_input_as(info, "registerPerson", "person", input, input.to_domain)
        return PersonType.from_row(await people_actions.register_person(info.context, data))

    @strawberry.mutation(
        description="Change a person's record. Needs person:update over their residence compound, "
        "and over the new one when they move."
    )
    async def update_person(
        self,
        info: Info,
        input: Annotated[UpdatePersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await decode_input_as(info, "updatePerson", "person", input, input.to_domain)
        return PersonType.from_row(await people_actions.update_person(info.context, data))
