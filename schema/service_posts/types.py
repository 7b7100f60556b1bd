"""Service posts (服務崗位): registrations, posts, claims and service records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay

import schema.service_posts.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import PostClaim, PostFulfilment, ServicePost, ServicePostKind, ServiceRegistration
from db.models import Weekday as WeekdayValue
from resolvers.service_posts import actions as service_post_actions
from resolvers.service_posts import queries as service_posts
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType
from schema.service_posts import loaders

LATEST = (
    "How many of the most recent records to return (at most 100; 20 when omitted). Totals "
    "are in `hours` and `days`."
)
PARTY_NOTE = (
    "It tells that the person is an in-service party member, so it is read like "
    "person:read_party: by the person, the compound's branch and committees, supervisors above "
    "it and admins"
)


@strawberry.type(
    name="ServiceRegistration",
    description="An in-service party member's report to the compound where they live "
    f"(在職黨員報到); one active per person. {PARTY_NOTE} (permission service_registration:read).",
)
class ServiceRegistrationType(relay.Node):
    id: relay.NodeID[int]
    reported_at: datetime = strawberry.field(description="When they reported (UTC).")
    active: bool = strawberry.field(description="Whether the registration is in force.")
    skills: list[str] = strawberry.field(
        description="What they offer (lawyer, teacher, ...), lower-case: 居民所需，黨員所長."
    )
    availability: str | None = strawberry.field(description="When they are free to serve.")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[ServiceRegistration]

    @classmethod
    def from_row(cls, row: ServiceRegistration) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            reported_at=row.reported_at,
            active=row.active,
            skills=list(row.skills or []),
            availability=row.availability,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The member, if you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        row = await people_loaders.person(info.context).load(self._row.person_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The compound they reported to.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    audit_trail = audit_trail_field("service_registration")


@strawberry.type(description="When a service post is served.")
class ServiceSchedule:
    starts_on: date = strawberry.field(description="The first day of service.")
    ends_on: date | None = strawberry.field(description="The last day; null while open-ended.")
    weekdays: list[WeekdayValue] = strawberry.field(
        description="The days of the week it is served, Monday first (may be empty)."
    )
    description: str | None = strawberry.field(
        description="When, in words (每周六上午, 早晚高峰 ...)."
    )


@strawberry.type(name="PostFulfilment", description="One day's service on a claimed post.")
class PostFulfilmentType:
    served_on: date = strawberry.field(description="The day served.")
    hours: float = strawberry.field(description="Hours served that day.")
    note: str | None = strawberry.field(description="What was done.")
    recorded_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    _row: strawberry.Private[PostFulfilment]

    @classmethod
    def from_row(cls, row: PostFulfilment) -> Self:
        return cls(
            served_on=row.served_on,
            hours=round(row.minutes / 60, 2),
            note=row.note,
            recorded_at=row.created_at,
            _row=row,
        )

    @strawberry.field(
        description="Who recorded it (the member, or the branch for them), if you may see them."
    )
    async def recorded_by(self, info: Info) -> PersonType | None:
        if self._row.recorded_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.recorded_by_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The claim it belongs to.")
    async def claim(self, info: Info) -> PostClaimType | None:
        row = await loaders.post_claim(info.context).load(self._row.claim_id)
        return PostClaimType.from_row(row) if row else None


@strawberry.type(
    name="PostClaim",
    description="A reported member's place on a service post, with the service recorded on it. "
    f"{PARTY_NOTE} (permission post_claim:read). Service is recorded by the member or by the "
    "branch for them (post_claim:record_fulfilment).",
)
class PostClaimType(relay.Node):
    id: relay.NodeID[int]
    claimed_at: datetime = strawberry.field(description="When the place was taken (UTC).")
    active: bool = strawberry.field(description="Whether the place is still held.")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[PostClaim]

    @classmethod
    def from_row(cls, row: PostClaim) -> Self:
        assert row.id is not None
        return cls(
            id=row.id, claimed_at=row.claimed_at, active=row.active, version=row.version, _row=row
        )

    @strawberry.field(description="The post.")
    async def post(self, info: Info) -> ServicePostType | None:
        row = await loaders.service_post(info.context).load(self._row.post_id)
        return ServicePostType.from_row(row) if row else None

    @strawberry.field(description="The member who claimed it, if you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        row = await people_loaders.person(info.context).load(self._row.person_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The most recent days served on this claim, newest first.")
    async def fulfilments(
        self,
        info: Info,
        latest: Annotated[int | None, strawberry.argument(description=LATEST)] = None,
    ) -> list[PostFulfilmentType]:
        count = service_posts.latest_count(latest)
        rows = await loaders.claim_fulfilments(info.context, count).load(self.id)
        return [PostFulfilmentType.from_row(row) for row in rows]

    @strawberry.field(description="Hours served on this claim, all records.")
    async def hours(self, info: Info) -> float:
        return (await loaders.claim_served(info.context).load(self.id)).hours

    @strawberry.field(description="Days served on this claim, all records.")
    async def days(self, info: Info) -> int:
        return (await loaders.claim_served(info.context).load(self.id)).days

    audit_trail = audit_trail_field("post_claim")


@strawberry.type(
    name="ServicePost",
    description="A service post (服務崗位) of a compound, published by its party branch for "
    "in-service party members who reported there to claim, up to its capacity. Readable by the "
    "compound's residents, branch and committees, supervisors above it and admins (permission "
    "service_post:read); published by the secretary (service_post:publish).",
)
class ServicePostType(relay.Node):
    id: relay.NodeID[int]
    kind: ServicePostKind = strawberry.field(description="Which of the ten kinds it is.")
    title: str = strawberry.field(description="Short name of the post.")
    description: str = strawberry.field(description="What the post involves.")
    capacity: int = strawberry.field(description="How many members it takes.")
    claimed_count: int = strawberry.field(description="How many places are taken.")
    remaining: int = strawberry.field(description="How many places are left.")
    schedule: ServiceSchedule = strawberry.field(description="When it is served.")
    version: int = strawberry.field(description="Incremented on every change (each claim too).")
    created_at: datetime = strawberry.field(description="When it was published (UTC).")
    _row: strawberry.Private[ServicePost]

    @classmethod
    def from_row(cls, row: ServicePost) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            title=row.title,
            description=row.description,
            capacity=row.capacity,
            claimed_count=row.claimed_count,
            remaining=row.capacity - row.claimed_count,
            schedule=ServiceSchedule(
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                weekdays=[WeekdayValue(day) for day in row.weekdays or []],
                description=row.schedule_note,
            ),
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="Whether places are left and the post is not over.")
    def open(self, info: Info) -> bool:
        return service_post_actions.is_open(self._row, info.context.today)

    @strawberry.field(description="The compound it serves.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Who published it, if you may see them.")
    async def published_by(self, info: Info) -> PersonType | None:
        if self._row.published_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.published_by_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(
        description="The places taken (at most `capacity`), in the order claimed: those you may "
        "see (permission post_claim:read; a resident sees only their own)."
    )
    async def claims(self, info: Info) -> list[PostClaimType]:
        rows = await loaders.post_claims(info.context).load(self.id)
        return [PostClaimType.from_row(row) for row in rows]

    @strawberry.field(description="Hours served on this post by everyone, all records.")
    async def fulfilment_hours(self, info: Info) -> float:
        return (await loaders.post_served(info.context).load(self.id)).hours

    @strawberry.field(description="Service records on this post by everyone (member-days).")
    async def fulfilment_days(self, info: Info) -> int:
        return (await loaders.post_served(info.context).load(self.id)).days

    audit_trail = audit_trail_field("service_post")


register_node("service_registration", ServiceRegistrationType, loaders.service_registration)
register_node("post_claim", PostClaimType, loaders.post_claim)
register_node("service_post", ServicePostType, loaders.service_post)
