"""Mutations of service posts (服務崗位); each is audited."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.service_posts import actions as service_post_actions
from resolvers.service_posts.actions import (
    CLAIM_SERVICE_POST,
    PUBLISH_SERVICE_POST,
    RECORD_POST_FULFILMENT,
    REPORT_FOR_SERVICE,
)
from schema.context import Info
from schema.mutation_support import INPUT, declared, decode_input
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
    @declared(
        REPORT_FOR_SERVICE,
        "Report for service (在職黨員報到) to the compound where you live. Only an in-service "
        "party member may (FORBIDDEN otherwise), once while the registration is active (CONFLICT).",
    )
    async def report_for_service(
        self,
        info: Info,
        input: Annotated[ReportForServiceInput, strawberry.argument(description=INPUT)],
    ) -> ServiceRegistrationType:
        data = await decode_input(info, REPORT_FOR_SERVICE, input, input.to_domain)
        row = await service_post_actions.report_for_service(info.context, data)
        return ServiceRegistrationType.from_row(row)

    @declared(PUBLISH_SERVICE_POST, "Publish a service post in a compound.")
    async def publish_service_post(
        self,
        info: Info,
        input: Annotated[PublishServicePostInput, strawberry.argument(description=INPUT)],
    ) -> ServicePostType:
        data = await decode_input(info, PUBLISH_SERVICE_POST, input, input.to_domain)
        return ServicePostType.from_row(await service_post_actions.publish_post(info.context, data))

    @declared(
        CLAIM_SERVICE_POST,
        "Take a place on a post.",
        "A full post, or a second place on the same post, is a CONFLICT: concurrent claims "
        "never exceed the capacity.",
    )
    async def claim_service_post(
        self,
        info: Info,
        input: Annotated[ClaimServicePostInput, strawberry.argument(description=INPUT)],
    ) -> PostClaimType:
        data = await decode_input(info, CLAIM_SERVICE_POST, input, input.to_domain)
        return PostClaimType.from_row(await service_post_actions.claim_post(info.context, data))

    @declared(
        RECORD_POST_FULFILMENT,
        "Record one day's service on a claim.",
        "A day already recorded for the claim is a CONFLICT.",
    )
    async def record_post_fulfilment(
        self,
        info: Info,
        input: Annotated[RecordPostFulfilmentInput, strawberry.argument(description=INPUT)],
    ) -> PostFulfilmentType:
        data = await decode_input(info, RECORD_POST_FULFILMENT, input, input.to_domain)
        row = await service_post_actions.record_fulfilment(info.context, data)
        return PostFulfilmentType.from_row(row)
