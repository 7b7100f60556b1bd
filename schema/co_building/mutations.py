"""Mutations of co-building lists (共建清單); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.co_building import actions as co_building_actions
from schema.co_building.inputs import (
    CancelProjectInput,
    CommitProjectInput,
    CompleteProjectInput,
    PublishNeedInput,
)
from schema.co_building.types import CoBuildingNeedType, CoBuildingProjectType
from schema.context import Info
from schema.mutation_support import INPUT, decode_input_as


@strawberry.type(description="Co-building lists.")
class CoBuildingMutation:
    @strawberry.mutation(
        description="Put a need on a compound's list for a year. Needs need:publish (the "
        "secretary)."
    )
    async def publish_need(
        self, info: Info, input: Annotated[PublishNeedInput, strawberry.argument(description=INPUT)]
    ) -> CoBuildingNeedType:
        data = await decode_input_as(info, "publishNeed", "need", input, input.to_domain)
        return CoBuildingNeedType.from_row(
            await co_building_actions.publish_need(info.context, data)
        )

    @strawberry.mutation(
        description="Record a partner's project for a compound and year (→ COMMITTED). The "
        "partner must co-build with the compound today. Needs project:commit (the secretary, "
        "recording for the partner)."
    )
    async def commit_project(
        self,
        info: Info,
        input: Annotated[CommitProjectInput, strawberry.argument(description=INPUT)],
    ) -> CoBuildingProjectType:
        data = await decode_input_as(info, "commitProject", "project", input, input.to_domain)
        row = await co_building_actions.commit_project(info.context, data)
        return CoBuildingProjectType.from_row(row)

    @strawberry.mutation(
        description="Mark a COMMITTED project delivered (→ COMPLETED) with its outcome. Needs "
        "project:complete (the secretary)."
    )
    async def complete_project(
        self,
        info: Info,
        input: Annotated[CompleteProjectInput, strawberry.argument(description=INPUT)],
    ) -> CoBuildingProjectType:
        data = await decode_input_as(info, "completeProject", "project", input, input.to_domain)
        row = await co_building_actions.complete_project(info.context, data)
        return CoBuildingProjectType.from_row(row)

    @strawberry.mutation(
        description="Call off a COMMITTED project (→ CANCELLED) with a reason. Needs "
        "project:cancel (the secretary)."
    )
    async def cancel_project(
        self,
        info: Info,
        input: Annotated[CancelProjectInput, strawberry.argument(description=INPUT)],
    ) -> CoBuildingProjectType:
        data = await decode_input_as(info, "cancelProject", "project", input, input.to_domain)
        row = await co_building_actions.cancel_project(info.context, data)
        return CoBuildingProjectType.from_row(row)
