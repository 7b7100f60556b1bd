"""Mutations of people; each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.people import actions as people_actions
from resolvers.people.actions import REGISTER_PERSON, UPDATE_PERSON
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
from schema.people.inputs import RegisterPersonInput, UpdatePersonInput
from schema.people.types import PersonType


@strawberry.type
class PeopleMutation:
    @declared(REGISTER_PERSON, "Register a person, usually a resident.")
    async def register_person(
        self,
        info: Info,
        input: Annotated[RegisterPersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await decode_input(info, REGISTER_PERSON, input, input.to_domain)
        return PersonType.from_row(await people_actions.register_person(info.context, data))

    @declared(UPDATE_PERSON, "Change a person's record.")
    async def update_person(
        self,
        info: Info,
        input: Annotated[UpdatePersonInput, strawberry.argument(description=INPUT)],
    ) -> PersonType:
        data = await decode_input(info, UPDATE_PERSON, input, input.to_domain)
        return PersonType.from_row(await people_actions.update_person(info.context, data))
