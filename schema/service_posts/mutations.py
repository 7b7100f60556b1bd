"""Mutations of service posts (服務崗位) and co-building lists (共建清單); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.co_building import actions as co_building_actions
from resolvers.service_posts import actions as service_post_actions
from schema.co_building.inputs import (
    CancelProjectInput,
    CommitProjectInput,
    CompleteProjectInput,
    PublishNeedInput,
)
from schema.co_building.types import CoBuildingNeedType, CoBuildingProjectType
from schema.context import Info
from schema.mutation_support import INPUT, decode_input
from schema.service_posts.inputs import (
    ClaimServicePostInput,
    PublishServicePostInput,
    RecordPostFulfilmentInput,
    ReportForServiceInput,
)
from schema.service_posts.types import (
    PostClaimType,
    PostFulfilmentType,
    ServicePostType,
    ServiceRegistrationType,
)


@strawberry.type(description="Service posts and co-building lists.")
class PostsMutation:
    @strawberry.mutation(
        description="Report for service (在職黨員報到) to the compound where you live. Only an "
        "in-service party member may (FORBIDDEN otherwise), once while the registration is "
        "active (CONFLICT). Needs service_registration:report, which everyone holds for themself."
    )
    async def report_for_service(
        self,
        info: Info,
        input: Annotated[ReportForServiceInput, strawberry.argument(description=INPUT)],
    ) -> ServiceRegistrationType:
        data = await decode_input(
            info, "reportForService", "service_registration", input, input.to_domain
        )
        row = await service_post_actions.report_for_service(info.context, data)
        return ServiceRegistrationType.from_row(row)

    @strawberry.mutation(
        description="Publish a service post in a compound. Needs service_post:publish there (the "
        "secretary)."
    )
    async def publish_service_post(
        self,
        info: Info,
        input: Annotated[PublishServicePostInput, strawberry.argument(description=INPUT)],
    ) -> ServicePostType:
        data = await decode_input(
            info, "publishServicePost", "service_post", input, input.to_domain
        )
        return ServicePostType.from_row(await service_post_actions.publish_post(info.context, data))

    @strawberry.mutation(
        description="Take a place on a post. Needs service_post:claim (residents of its compound) "
        "and an active registration there (FORBIDDEN otherwise). A full post, or a second place "
        "on the same post, is a CONFLICT: concurrent claims never exceed the capacity."
    )
    async def claim_service_post(
        self,
        info: Info,
        input: Annotated[ClaimServicePostInput, strawberry.argument(description=INPUT)],
    ) -> PostClaimType:
        data = await decode_input(info, "claimServicePost", "post_claim", input, input.to_domain)
        return PostClaimType.from_row(await service_post_actions.claim_post(info.context, data))

    @strawberry.mutation(
        description="Record one day's service on a claim. Needs post_claim:record_fulfilment: "
        "the member on their own claim, or the secretary and committee members for anyone in "
        "their compound. A day already recorded for the claim is a CONFLICT."
    )
    async def record_post_fulfilment(
        self,
        info: Info,
        input: Annotated[RecordPostFulfilmentInput, strawberry.argument(description=INPUT)],
    ) -> PostFulfilmentType:
        data = await decode_input(
            info, "recordPostFulfilment", "post_claim", input, input.to_domain
        )
        row = await service_post_actions.record_fulfilment(info.context, data)
        return PostFulfilmentType.from_row(row)

    @strawberry.mutation(
        description="Put a need on a compound's list for a year. Needs need:publish (the "
        "secretary)."
    )
    async def publish_need(
        self, info: Info, input: Annotated[PublishNeedInput, strawberry.argument(description=INPUT)]
    ) -> CoBuildingNeedType:
        data = await decode_input(info, "publishNeed", "need", input, input.to_domain)
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
        data = await decode_input(info, "commitProject", "project", input, input.to_domain)
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
        data = await decode_input(info, "completeProject", "project", input, input.to_domain)
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
        data = await decode_input(info, "cancelProject", "project", input, input.to_domain)
        row = await co_building_actions.cancel_project(info.context, data)
        return CoBuildingProjectType.from_row(row)
