"""A compound meeting's agenda, and the rule "the branch deliberates first" (支部先議).

A matter goes on an owners' committee meeting only once the compound's party branch has
deliberated it: the committee's item rests on an item of a HELD branch meeting of the same
compound whose resolution is ADOPTED or REJECTED (a DEFERRED one has not been deliberated to
a conclusion). The item is named (branchItem), or found through the issue both are about;
otherwise the change is refused with BAD_USER_INPUT and `reason: BRANCH_NOT_CONSULTED`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import (
    CompoundMeeting,
    CompoundMeetingItem,
    CompoundMeetingKind,
    Issue,
    MeetingStatus,
    ResolutionOutcome,
)
from resolvers.audited import AuditRecord
from resolvers.common import visible_one
from resolvers.context import RequestContext
from resolvers.deliberations.places import RESOURCE, meeting_place, still_scheduled
from resolvers.errors import BadUserInput, NotFound
from resolvers.i18n import tr
from resolvers.mutations import RowMutation, bump
from resolvers.text import clean_text

BRANCH_NOT_CONSULTED = "BRANCH_NOT_CONSULTED"
DELIBERATED = (ResolutionOutcome.ADOPTED, ResolutionOutcome.REJECTED)
MATTER_LIMIT = 2_000
MAX_ITEMS = 30


@dataclass(frozen=True)
class AgendaEntry:
    """A matter for the agenda: about an ISSUE, in words (MATTER), or resting on the branch's
    resolved item (BRANCH_ITEM_ID); the matter's words default to the branch item's or the
    issue's title."""

    issue_id: int | None = None
    matter: str | None = None
    branch_item_id: int | None = None


@dataclass(frozen=True)
class AddAgendaItem:
    meeting_id: int
    issue_id: int | None = None
    matter: str | None = None
    branch_item_id: int | None = None


@dataclass(frozen=True)
class RemoveAgendaItem:
    meeting_id: int
    item_id: int


ADD_COMPOUND_MEETING_ITEM = RowMutation(
    operation="addCompoundMeetingItem",
    resource=RESOURCE,
    action="edit_agenda",
    what=tr("change this meeting's agenda"),
    needs=" (a member of the meeting's body), on a SCHEDULED meeting; on an owners' committee "
    "meeting only a matter the party branch has resolved first",
    model=CompoundMeeting,
    noun=tr("meeting"),
    locate=meeting_place,
    guard=still_scheduled,
)
REMOVE_COMPOUND_MEETING_ITEM = RowMutation(
    operation="removeCompoundMeetingItem",
    resource=RESOURCE,
    action="edit_agenda",
    what=tr("change this meeting's agenda"),
    needs=" (a member of the meeting's body), on a SCHEDULED meeting",
    model=CompoundMeeting,
    noun=tr("meeting"),
    locate=meeting_place,
    guard=still_scheduled,
)


async def _branch_item(
    session: AsyncSession, meeting: CompoundMeeting, entry: AgendaEntry
) -> CompoundMeetingItem:
    """The branch's resolved item a committee's matter rests on, or the refusal."""
    resolved_at_branch = (
        sa.select(CompoundMeetingItem)
        .join(CompoundMeeting, col(CompoundMeeting.id) == col(CompoundMeetingItem.meeting_id))
        .where(
            col(CompoundMeeting.compound_id) == meeting.compound_id,
            col(CompoundMeeting.kind) == CompoundMeetingKind.BRANCH,
            col(CompoundMeeting.status) == MeetingStatus.HELD,
            col(CompoundMeetingItem.outcome).in_(DELIBERATED),
        )
    )
    if entry.branch_item_id is not None:
        statement = resolved_at_branch.where(col(CompoundMeetingItem.id) == entry.branch_item_id)
    elif entry.issue_id is not None:
        statement = resolved_at_branch.where(
            col(CompoundMeetingItem.issue_id) == entry.issue_id
        ).order_by(col(CompoundMeetingItem.resolved_at).desc(), col(CompoundMeetingItem.id).desc())
    else:
        raise BadUserInput(
            tr(
                "The party branch deliberates first: name the branch meeting's resolved item "
                "(branchItem) this matter rests on, or the issue it resolved."
            ),
            reason=BRANCH_NOT_CONSULTED,
        )
    found = (await session.execute(statement.limit(1))).scalar_one_or_none()
    if found is None:
        raise BadUserInput(
            tr(
                "The party branch deliberates first: this matter has no ADOPTED or REJECTED "
                "resolution of a held meeting of the compound's party branch yet."
            ),
            reason=BRANCH_NOT_CONSULTED,
        )
    if entry.issue_id is not None and found.issue_id not in (None, entry.issue_id):
        raise BadUserInput(tr("That branch item is about another issue."))
    return found


async def put_on_agenda(
    ctx: RequestContext, session: AsyncSession, meeting: CompoundMeeting, entry: AgendaEntry
) -> CompoundMeetingItem:
    """Add ENTRY to MEETING's agenda, under the branch-first rule for a committee's meeting."""
    count = await session.scalar(
        sa.select(sa.func.count())
        .select_from(CompoundMeetingItem)
        .where(col(CompoundMeetingItem.meeting_id) == meeting.id)
    )
    if (count or 0) >= MAX_ITEMS:
        raise BadUserInput(tr("A meeting takes at most {most} matters.", most=MAX_ITEMS))
    issue: Issue | None = None
    if entry.issue_id is not None:
        issue = await visible_one(ctx, session, Issue, "issue", entry.issue_id, tr("issue"))
        if issue.compound_id != meeting.compound_id:
            raise BadUserInput(tr("The issue must be one of the meeting's compound."))
    branch_item: CompoundMeetingItem | None = None
    if meeting.kind is CompoundMeetingKind.COMMITTEE:
        branch_item = await _branch_item(session, meeting, entry)
    elif entry.branch_item_id is not None:
        raise BadUserInput(
            tr("A branch meeting deliberates first: its matters rest on no other item.")
        )
    matter = clean_text(entry.matter, tr("matter"), required=False, limit=MATTER_LIMIT)
    if matter is None:
        matter = branch_item.matter if branch_item else issue.title if issue else None
    if matter is None:
        raise BadUserInput(tr("Say what the matter is, or name the issue it is about."))
    item = CompoundMeetingItem(
        meeting_id=meeting.id or 0,
        compound_id=meeting.compound_id,
        issue_id=issue.id if issue else (branch_item.issue_id if branch_item else None),
        matter=matter,
        branch_item_id=branch_item.id if branch_item else None,
    )
    session.add(item)
    await session.flush()
    return item


def record_item(record: AuditRecord, item: CompoundMeetingItem) -> None:
    record.change(
        "agenda_item",
        None,
        {
            "id": item.id,
            "matter": item.matter,
            "issue_id": item.issue_id,
            "branch_item_id": item.branch_item_id,
        },
    )


async def add_item(ctx: RequestContext, data: AddAgendaItem) -> CompoundMeeting:
    async def apply(
        session: AsyncSession, meeting: CompoundMeeting, record: AuditRecord
    ) -> CompoundMeeting:
        entry = AgendaEntry(data.issue_id, data.matter, data.branch_item_id)
        record_item(record, await put_on_agenda(ctx, session, meeting, entry))
        bump(meeting)
        await session.flush()
        return meeting

    return await ADD_COMPOUND_MEETING_ITEM.on(ctx, data.meeting_id, apply, data=data)


async def remove_item(ctx: RequestContext, data: RemoveAgendaItem) -> CompoundMeeting:
    async def apply(
        session: AsyncSession, meeting: CompoundMeeting, record: AuditRecord
    ) -> CompoundMeeting:
        item = await session.get(CompoundMeetingItem, data.item_id)
        if item is None or item.meeting_id != meeting.id:
            raise NotFound(tr("That item is not on this meeting's agenda."))
        record.change("agenda_item", {"id": item.id, "matter": item.matter}, None)
        await session.delete(item)
        bump(meeting)
        await session.flush()
        return meeting

    return await REMOVE_COMPOUND_MEETING_ITEM.on(ctx, data.meeting_id, apply, data=data)
