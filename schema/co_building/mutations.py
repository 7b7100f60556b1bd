"""Mutations of co-building lists (共建清單); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.co_building import actions as co_building_actions
from resolvers.co_building.actions import (
    CANCEL_PROJECT,
    COMMIT_PROJECT,
    COMPLETE_PROJECT,
    PUBLISH_NEED,
)
from schema.co_building.inputs import (
    CancelProjectInput,
    CommitProjectInput,
    CompleteProjectInput,
    PublishNeedInput,
)
from schema.co_building.types import CoBuildingNeedType, CoBuildingProjectType
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input


@strawberry.type(description="Co-building lists.")
class CoBuildingMutation:
    @declared(PUBLISH_NEED, "Put a need on a compound's list for a year.")
    async def publish_need(
        self, info: Info, input: Annotated[PublishNeedInput, strawberry.argument(description=INPUT)]
    ) -> CoBuildingNeedType:
        data = await decode_input(info, PUBLISH_NEED, input, input.to_domain)
        return CoBuildingNeedType.from_row(
            await co_building_actions.publish_need(info.context, data)
        )

    @declared(
        COMMIT_PROJECT,
        "Record a partner's project for a compound and year (→ COMMITTED). The partner must "
        "co-build with the compound today.",
    )
    async def commit_project(
        self,
        info: Info,
        input: Annotated[CommitProjectInput, strawberry.argument(description=INPUT)],
    ) -> CoBuildingProjectType:
        data = await decode_input(info, COMMIT_PROJECT, input, input.to_domain)
        row = await co_building_actions.commit_project(info.context, data)
        return CoBuildingProjectType.from_row(row)

    @declared(
        COMPLETE_PROJECT, "Mark a COMMITTED project delivered (→ COMPLETED) with its outcome."
    )
    async def complete_project(
        self,
        info: Info,
        input: Annotated[CompleteProjectInput, strawberry.argument(description=INPUT)],
    ) -> CoBuildingProjectType:
        data = await decode_input(info, COMPLETE_PROJECT, input, input.to_domain)
        row = await co_building_actions.complete_project(info.context, data)
        return CoBuildingProjectType.from_row(row)

    @declared(CANCEL_PROJECT, "Call off a COMMITTED project (→ CANCELLED) with a reason.")
    async def cancel_project(
        self,
        info: Info,
        input: Annotated[CancelProjectInput, strawberry.argument(description=INPUT)],
    ) -> CoBuildingProjectType:
        data = await decode_input(info, CANCEL_PROJECT, input, input.to_domain)
        row = await co_building_actions.cancel_project(info.context, data)
        return CoBuildingProjectType.from_row(row)
