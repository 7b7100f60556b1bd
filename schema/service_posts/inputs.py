"""Inputs of service posts (服務崗位): one per mutation, plus the list filter."""

from __future__ import annotations

import datetime as dt
from datetime import date

import strawberry

import schema.service_posts.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import ServicePostKind, Weekday
from resolvers.service_posts import inputs
from resolvers.service_posts import queries as service_posts
from schema.ids import decode_id, decode_optional


@strawberry.input(description="Narrow a list of service posts; all given conditions apply.")
class ServicePostFilter:
    compound: strawberry.ID | None = strawberry.field(default=None, description="In this compound.")
    kind: ServicePostKind | None = strawberry.field(default=None, description="Of this kind.")
    open: bool | None = strawberry.field(
        default=None,
        description="true: places left and not over (claimable); false: full or over.",
    )

    def to_domain(self) -> service_posts.ServicePostFilter:
        return service_posts.ServicePostFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            kind=self.kind,
            open=self.open,
        )


@strawberry.input(description="An in-service party member reporting for service (在職黨員報到).")
class ReportForServiceInput:
    compound: strawberry.ID | None = strawberry.field(
        default=None, description="The compound where you live (the default; no other is taken)."
    )
    skills: list[str] | None = strawberry.field(
        default=None,
        description="What you offer (at most 20, each at most 40 characters); omitted: the "
        "skills on your person record.",
    )
    availability: str | None = strawberry.field(
        default=None, description="When you are free to serve (at most 200 characters)."
    )

    def to_domain(self) -> inputs.ReportForService:
        return inputs.ReportForService(
            compound_id=decode_optional(self.compound, "Organisation"),
            skills=self.skills,
            availability=self.availability,
        )


@strawberry.input(description="When a service post is served: weekdays, words, or both.")
class ServiceScheduleInput:
    starts_on: date = strawberry.field(description="The first day of service.")
    ends_on: date | None = strawberry.field(
        default=None, description="The last day (not before the first, not past); omitted: open."
    )
    weekdays: list[Weekday] | None = strawberry.field(
        default=None, description="The days of the week it is served."
    )
    description: str | None = strawberry.field(
        default=None, description="When, in words (at most 200 characters)."
    )

    def to_domain(self) -> inputs.Schedule:
        return inputs.Schedule(
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            weekdays=list(self.weekdays or []),
            description=self.description,
        )


@strawberry.input(description="A service post for the compound's reported members to claim.")
class PublishServicePostInput:
    compound: strawberry.ID = strawberry.field(description="The compound it serves.")
    kind: ServicePostKind = strawberry.field(description="Which of the ten kinds.")
    title: str = strawberry.field(description="Short name (1–200 characters).")
    description: str | None = strawberry.field(
        default=None, description="What it involves (at most 2000)."
    )
    capacity: int = strawberry.field(description="How many members it takes (1–100).")
    schedule: ServiceScheduleInput = strawberry.field(description="When it is served.")

    def to_domain(self) -> inputs.PublishServicePost:
        return inputs.PublishServicePost(
            compound_id=decode_id(self.compound, "Organisation"),
            kind=self.kind,
            title=self.title,
            description=self.description,
            capacity=self.capacity,
            schedule=self.schedule.to_domain(),
        )


@strawberry.input(description="Take a place on a service post.")
class ClaimServicePostInput:
    post: strawberry.ID = strawberry.field(description="The post, in the compound you reported to.")

    def to_domain(self) -> inputs.ClaimServicePost:
        return inputs.ClaimServicePost(post_id=decode_id(self.post, "ServicePost"))


@strawberry.input(
    description="One day's service on a claimed post: name the claim, or the post and the person."
)
class RecordPostFulfilmentInput:
    claim: strawberry.ID | None = strawberry.field(default=None, description="The claim.")
    post: strawberry.ID | None = strawberry.field(
        default=None, description="The post (with `person`, instead of `claim`)."
    )
    person: strawberry.ID | None = strawberry.field(
        default=None, description="The member holding a place on `post`."
    )
    date: dt.date = strawberry.field(
        description="The day served: within the post's schedule, since the claim, not future."
    )
    hours: float = strawberry.field(description="Hours served that day (more than 0, at most 24).")
    note: str | None = strawberry.field(
        default=None, description="What was done (at most 500 characters)."
    )

    def to_domain(self) -> inputs.RecordPostFulfilment:
        return inputs.RecordPostFulfilment(
            claim_id=decode_optional(self.claim, "PostClaim"),
            post_id=decode_optional(self.post, "ServicePost"),
            person_id=decode_optional(self.person, "Person"),
            served_on=self.date,
            hours=self.hours,
            note=self.note,
        )
