"""Where a compound meeting lies, for scoping, authorization and the audit entry: at its
compound, speaking for its body (the branch or the owners' committee), shown once HELD. A
joint branch's meeting (聯合黨支部) lies in the compound it serves that the meeting is for."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import CompoundMeeting, CompoundMeetingKind, MeetingStatus, Organisation
from db.models import OrganisationKind as K
from policies.conditions import RowFacts
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import coded, tr
from resolvers.mutations import Place
from resolvers.organisations.branches import is_joint

RESOURCE = "compound_meeting"
# The body whose meeting it is decides its kind.
KIND_OF_BODY = {
    K.PARTY_BRANCH: CompoundMeetingKind.BRANCH,
    K.OWNERS_COMMITTEE: CompoundMeetingKind.COMMITTEE,
}


def kind_of(body: Organisation) -> CompoundMeetingKind:
    kind = KIND_OF_BODY.get(body.kind)
    if kind is None or (body.compound_id is None and not is_joint(body)):
        raise BadUserInput(
            tr(
                "A compound meeting is held by a compound's party branch or owners' committee; "
                "{name} is a {kind}.",
                name=body.name,
                kind=coded(body.kind),
            )
        )
    return kind


async def _paths(session: AsyncSession, ids: tuple[int, int]) -> dict[int, str]:
    rows = await session.execute(
        sa.select(col(Organisation.id), col(Organisation.path)).where(col(Organisation.id).in_(ids))
    )
    return {int(i or 0): str(p) for i, p in rows.all()}


async def body_place(ctx: RequestContext, session: AsyncSession, body: Organisation) -> Place:
    """A new meeting lies at the body's compound and speaks for the body; a joint branch's
    is checked at the branch itself (it names the compound it serves the meeting is for, which
    the meeting then lies in: resolvers/organisations/bodies.py compound_for)."""
    kind_of(body)
    if body.compound_id is None:
        return Place(body.id, body.path, RowFacts(paths=(body.path,), body_path=body.path))
    compound_id = body.compound_id
    compound_path = (await _paths(session, (compound_id, compound_id)))[compound_id]
    return Place(
        compound_id,
        compound_path,
        RowFacts(paths=(compound_path,), body_path=body.path),
        compound_id,
    )


async def meeting_place(
    ctx: RequestContext, session: AsyncSession, meeting: CompoundMeeting
) -> Place:
    paths = await _paths(session, (meeting.compound_id, meeting.body_id))
    compound_path = paths[meeting.compound_id]
    facts = RowFacts(
        paths=(compound_path,),
        body_path=paths[meeting.body_id],
        in_force=meeting.status is MeetingStatus.HELD,
    )
    return Place(meeting.compound_id, compound_path, facts, meeting.compound_id)


def still_scheduled(ctx: RequestContext, meeting: CompoundMeeting) -> None:
    """Only a SCHEDULED meeting changes: once held (or called off) its record stands."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise BadUserInput(
            tr(
                "That meeting is {status}; only a scheduled meeting changes.",
                status=coded(meeting.status, english=meeting.status.value.lower()),
            )
        )
