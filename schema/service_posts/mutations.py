"""Mutations of service posts (服務崗位); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.service_posts import actions as service_post_actions
from schema.context import Info
from schema.mutation_support import INPUT, decode_input_as
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


@strawberry.type(description="Service posts.")
class ServicePostMutation:
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
        data = await decode_input_as(
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
        data = await decode_input_as(
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
        data = await decode_input_as(info, "claimServicePost", "post_claim", input, input.to_domain)
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
        data = await decode_input_as(
            info, "recordPostFulfilment", "post_claim", input, input.to_domain
        )
        row = await service_post_actions.record_fulfilment(info.context, data)
        return PostFulfilmentType.from_row(row)
