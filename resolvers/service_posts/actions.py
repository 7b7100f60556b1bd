"""Service posts (服務崗位), the changes: members report for service (在職黨員報到), the branch
publishes posts, members claim them, and service days are recorded. Each is one audited
mutation."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    Organisation,
    Person,
    PostClaim,
    PostFulfilment,
    ServicePost,
    ServiceRegistration,
    Weekday,
)
from db.types import CHINA_TIME, utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import locked, missing, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, Forbidden
from resolvers.i18n import tr
from resolvers.mutations import CreateMutation, Mutation, Place, place
from resolvers.organisations.members import in_compound, visible_compound
from resolvers.organisations.paths import path_of
from resolvers.service_posts.inputs import (
    MAX_CAPACITY,
    WEEK,
    ClaimServicePost,
    PublishServicePost,
    RecordPostFulfilment,
    ReportForService,
    is_in_service,
)
from resolvers.text import clean_text
from resolvers.validation import clean_skills


async def _post_place(ctx: RequestContext, session: AsyncSession, post: ServicePost) -> Place:
    """A claim lies in its post's compound and is the claiming member's own."""
    compound_path = await path_of(session, post.compound_id) or "/"
    return place(post.compound_id, compound_path, owner_person_id=ctx.require_actor())


REPORT_FOR_SERVICE = Mutation(
    operation="reportForService",
    resource="service_registration",
    action="report",
    what=tr("report for service"),
    needs=", which everyone holds for themself",
)
PUBLISH_SERVICE_POST = in_compound(
    operation="publishServicePost",
    resource="service_post",
    action="publish",
    what=tr("publish service posts in this compound"),
    needs=" there (the secretary)",
)
CLAIM_SERVICE_POST = CreateMutation(
    operation="claimServicePost",
    resource="service_post",
    action="claim",
    what=tr("claim service posts in this compound"),
    audited_as="post_claim",
    needs=" (residents of its compound) and an active registration there (FORBIDDEN otherwise)",
    model=ServicePost,
    reads="service_post",
    noun=tr("service post"),
    locate=_post_place,
    locks=True,
)
RECORD_POST_FULFILMENT = Mutation(
    operation="recordPostFulfilment",
    resource="post_claim",
    action="record_fulfilment",
    what=tr("record service on this claim"),
    needs=": the member on their own claim, or the secretary and committee members for anyone "
    "in their compound",
)


async def report_for_service(ctx: RequestContext, data: ReportForService) -> ServiceRegistration:
    """An in-service party member reports to the compound where they live, once. Its own
    shape: the member's row is locked before the compound is found."""

    async def handler(session: AsyncSession, record: AuditRecord) -> ServiceRegistration:
        actor = ctx.require_actor()
        # Locked, so two reports by the same person cannot both find no registration.
        person = await locked(session, Person, actor, tr("person"))
        if person.residence_compound_id is None:
            raise BadUserInput(
                tr("Your residence is not recorded: ask the secretary to record it.")
            )
        compound_id = data.compound_id or person.residence_compound_id
        compound = await visible_compound(ctx, session, compound_id)
        record.target(None, compound.id, compound.path)
        REPORT_FOR_SERVICE.authorize(
            ctx, record, RowFacts(paths=(compound.path,), owner_person_id=actor)
        )
        if not is_in_service(person):
            raise Forbidden(
                tr(
                    "Only in-service party members report for service (在職黨員報到); your record "
                    "does not show you as one. Ask the secretary if that is wrong."
                )
            )
        if compound.id != person.residence_compound_id:
            raise BadUserInput(
                tr("In-service members report to the compound where they live; that is not yours.")
            )
        existing = (
            await session.execute(
                sa.select(ServiceRegistration).where(
                    col(ServiceRegistration.person_id) == actor, col(ServiceRegistration.active)
                )
            )
        ).scalar_one_or_none()
        if existing is not None:
            raise Conflict(
                tr(
                    "You already reported for service on {reported_at}.",
                    reported_at=existing.reported_at,
                ),
                registration=existing.id,
            )
        skills = clean_skills(data.skills)
        registration = ServiceRegistration(
            person_id=actor,
            compound_id=compound.id or 0,
            skills=list(person.skills or []) if skills is None else skills,
            availability=clean_text(
                data.availability, tr("availability"), required=False, limit=200
            ),
        )
        session.add(registration)
        await session.flush()
        record.target(registration.id, compound.id, compound.path)
        for name in ("person_id", "compound_id", "skills", "availability", "active"):
            record.change(name, None, getattr(registration, name))
        return registration

    return await REPORT_FOR_SERVICE.run(ctx, data, handler)


def _weekdays(days: list[Weekday]) -> list[str]:
    """Distinct, in week order."""
    return [day.value for day in WEEK if day in set(days)]


async def publish_post(ctx: RequestContext, data: PublishServicePost) -> ServicePost:
    async def apply(
        session: AsyncSession, compound: Organisation, record: AuditRecord
    ) -> ServicePost:
        if not 1 <= data.capacity <= MAX_CAPACITY:
            raise BadUserInput(
                tr(
                    "The capacity is how many members may claim the post: 1 to {MAX_CAPACITY}.",
                    MAX_CAPACITY=MAX_CAPACITY,
                )
            )
        schedule = data.schedule
        if schedule.ends_on is not None and schedule.ends_on < schedule.starts_on:
            raise BadUserInput(tr("The post must not end before it starts."))
        if schedule.ends_on is not None and schedule.ends_on < ctx.today:
            raise BadUserInput(
                tr("The post would have ended on {ends_on}; it is over.", ends_on=schedule.ends_on)
            )
        note = clean_text(
            schedule.description, tr("schedule description"), required=False, limit=200
        )
        if not schedule.weekdays and note is None:
            raise BadUserInput(
                tr("Say when the post is served: give weekdays, a description, or both.")
            )
        post = ServicePost(
            compound_id=compound.id or 0,
            kind=data.kind,
            title=clean_text(data.title, tr("title"), required=True, limit=200) or "",
            description=clean_text(data.description, tr("description"), required=False) or "",
            capacity=data.capacity,
            starts_on=schedule.starts_on,
            ends_on=schedule.ends_on,
            weekdays=_weekdays(schedule.weekdays),
            schedule_note=note,
            published_by_id=ctx.actor.person_id,
        )
        session.add(post)
        await session.flush()
        record.target(post.id, compound.id, compound.path)
        for name in ("compound_id", "kind", "title", "capacity", "starts_on", "ends_on"):
            record.change(name, None, getattr(post, name))
        record.change("weekdays", None, post.weekdays)
        return post

    return await PUBLISH_SERVICE_POST.under(ctx, data.compound_id, apply, data=data)


def is_open(post: ServicePost, day: date) -> bool:
    """Places left, and not over."""
    return post.claimed_count < post.capacity and (post.ends_on is None or post.ends_on >= day)


async def claim_post(ctx: RequestContext, data: ClaimServicePost) -> PostClaim:
    """A reported member of the post's compound takes one place.

    The post row is locked first (FOR UPDATE on PostgreSQL; SQLite serialises writers), so
    concurrent claims take their turn and each sees the count the one before it left; the
    CHECK on the table refuses an overfull post even if that were ever bypassed.
    """

    async def apply(session: AsyncSession, post: ServicePost, record: AuditRecord) -> PostClaim:
        actor = ctx.require_actor()
        registration = (
            await session.execute(
                sa.select(ServiceRegistration).where(
                    col(ServiceRegistration.person_id) == actor,
                    col(ServiceRegistration.compound_id) == post.compound_id,
                    col(ServiceRegistration.active),
                )
            )
        ).scalar_one_or_none()
        if registration is None:
            raise Forbidden(
                tr(
                    "Only in-service party members who reported to this compound claim its posts: "
                    "report for service first."
                )
            )
        if post.ends_on is not None and post.ends_on < ctx.today:
            raise BadUserInput(tr("This post ended on {ends_on}.", ends_on=post.ends_on))
        held = (
            await session.execute(
                sa.select(col(PostClaim.id)).where(
                    col(PostClaim.post_id) == post.id,
                    col(PostClaim.person_id) == actor,
                    col(PostClaim.active),
                )
            )
        ).first()
        if held is not None:
            raise Conflict(tr("You already hold a place on this post."))
        if post.claimed_count >= post.capacity:
            raise Conflict(
                tr("This post is full: all {capacity} places are taken.", capacity=post.capacity),
                capacity=post.capacity,
            )
        claim = PostClaim(
            post_id=post.id or 0,
            person_id=actor,
            registration_id=registration.id or 0,
            compound_id=post.compound_id,
        )
        session.add(claim)
        record.change("claimed_count", post.claimed_count, post.claimed_count + 1)
        post.claimed_count += 1
        post.version += 1
        post.updated_at = utcnow()
        await session.flush()
        record.made(claim.id)
        for name in ("post_id", "person_id", "active"):
            record.change(name, None, getattr(claim, name))
        return claim

    return await CLAIM_SERVICE_POST.under(ctx, data.post_id, apply, data=data)


async def _claim_for(
    ctx: RequestContext, session: AsyncSession, data: RecordPostFulfilment
) -> PostClaim:
    """The claim named by its id, or by post and person (that person's active claim)."""
    if data.claim_id is not None:
        if data.post_id is not None or data.person_id is not None:
            raise BadUserInput(tr("Name the claim, or the post and the person, not both."))
        return await visible_one(ctx, session, PostClaim, "post_claim", data.claim_id, tr("claim"))
    if data.post_id is None or data.person_id is None:
        raise BadUserInput(tr("Name the claim, or both the post and the person who claimed it."))
    claim = sa.select(PostClaim).where(
        col(PostClaim.post_id) == data.post_id,
        col(PostClaim.person_id) == data.person_id,
        col(PostClaim.active),
    )
    found = (
        await session.execute(claim.where(ctx.auth.decide("post_claim", "read").where()))
    ).scalar_one_or_none()
    if found is None:
        raise await missing(
            session, claim, tr("That person holds no place on that post, or you may not see it.")
        )
    return found


def minutes_of(hours: float) -> int:
    if not 0 < hours <= 24:
        raise BadUserInput(tr("Give the hours served that day: more than 0, at most 24."))
    return max(1, round(hours * 60))


async def record_fulfilment(ctx: RequestContext, data: RecordPostFulfilment) -> PostFulfilment:
    """One day's service on a claim, recorded by the member or by the branch (secretary,
    committee members); who recorded it is kept with the record. Its own shape: the claim is
    named by its id or by post and person."""

    async def handler(session: AsyncSession, record: AuditRecord) -> PostFulfilment:
        found = await _claim_for(ctx, session, data)
        # Locked: the same day cannot be recorded twice by two concurrent calls.
        claim = await locked(session, PostClaim, found.id or 0, tr("claim"))
        compound_path = await path_of(session, claim.compound_id) or "/"
        record.target(claim.id, claim.compound_id, compound_path)
        RECORD_POST_FULFILMENT.authorize(
            ctx, record, RowFacts(paths=(compound_path,), owner_person_id=claim.person_id)
        )
        if not claim.active:
            raise BadUserInput(tr("This claim is no longer active."))
        post = await session.get(ServicePost, claim.post_id)
        assert post is not None
        day = data.served_on
        if day > ctx.today:
            raise BadUserInput(
                tr("{day} is in the future; record service once it is done.", day=day)
            )
        if day < post.starts_on or (post.ends_on is not None and day > post.ends_on):
            end = post.ends_on or "open-ended"
            raise BadUserInput(
                tr(
                    "The post runs from {starts_on} to {end}; {day} is outside.",
                    starts_on=post.starts_on,
                    end=end,
                    day=day,
                )
            )
        if day < claim.claimed_at.astimezone(CHINA_TIME).date():
            raise BadUserInput(
                tr("The place was claimed on {claimed_at}.", claimed_at=claim.claimed_at)
            )
        minutes = minutes_of(data.hours)
        twice = (
            await session.execute(
                sa.select(col(PostFulfilment.id)).where(
                    col(PostFulfilment.claim_id) == claim.id,
                    col(PostFulfilment.served_on) == day,
                )
            )
        ).first()
        if twice is not None:
            raise Conflict(tr("Service on {day} is already recorded for this claim.", day=day))
        fulfilment = PostFulfilment(
            claim_id=claim.id or 0,
            post_id=claim.post_id,
            person_id=claim.person_id,
            compound_id=claim.compound_id,
            served_on=day,
            minutes=minutes,
            note=clean_text(data.note, tr("note"), required=False, limit=500),
            recorded_by_id=ctx.actor.person_id,
        )
        session.add(fulfilment)
        await session.flush()
        record.change("fulfilment", None, fulfilment.id)
        for name in ("served_on", "minutes", "note"):
            record.change(name, None, getattr(fulfilment, name))
        return fulfilment

    return await RECORD_POST_FULFILMENT.run(ctx, data, handler)
