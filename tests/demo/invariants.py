"""The rules every city must keep, however it was written: through the API's operations (the
demo) or in bulk (the synthetic city). Each check reads the whole database and returns what
breaks the rule (empty when it holds), so a failure names the rows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.audit_store import verify_chain
from db.folding import issue_search_text
from db.models import (
    AuditEntry,
    CoBuildingNeed,
    CoBuildingProject,
    CompoundMeeting,
    CompoundMeetingItem,
    Evaluation,
    FundAccount,
    FundEntry,
    FundLine,
    Issue,
    IssueEvent,
    IssueStatus,
    LedgerEntry,
    LedgerLine,
    Mobilisation,
    MobilisationRecipient,
    MobilisationStatus,
    Notice,
    NoticeQuestion,
    Organisation,
    OrganisationKind,
    Person,
    Position,
    PostClaim,
    PostFulfilment,
    Reward,
    ServicePost,
    ServiceRegistration,
    Station,
    StationDuty,
    VolunteerService,
)
from db.models.enums import STATUS_RANK
from db.paths import child_path
from resolvers.issues.lifecycle import TRANSITIONS
from resolvers.organisations.rules import TITLE_FITS

S = IssueStatus
# Every table whose rows lie in one compound, by its compound_id column.
IN_A_COMPOUND: tuple[Any, ...] = (
    Issue,
    Station,
    StationDuty,
    Reward,
    VolunteerService,
    LedgerEntry,
    ServiceRegistration,
    ServicePost,
    PostClaim,
    PostFulfilment,
    Evaluation,
    CoBuildingNeed,
    CoBuildingProject,
    Notice,
    NoticeQuestion,
    FundEntry,
    CompoundMeeting,
    CompoundMeetingItem,
)
# (child, its parent key column, parent): a row lies in its parent's compound.
PARENTS: tuple[tuple[Any, Any, Any], ...] = (
    (StationDuty, StationDuty.station_id, Station),
    (Reward, Reward.station_id, Station),
    (PostClaim, PostClaim.post_id, ServicePost),
    (PostFulfilment, PostFulfilment.post_id, ServicePost),
    (PostFulfilment, PostFulfilment.claim_id, PostClaim),
    (LedgerEntry, LedgerEntry.service_id, VolunteerService),
    (LedgerEntry, LedgerEntry.reward_id, Reward),
    (NoticeQuestion, NoticeQuestion.notice_id, Notice),
    # A notice's publishing body is one of its compound's.
    (Notice, Notice.publisher_id, Organisation),
    # A fund entry's body (the branch, the owners' committee) is one of its compound's.
    (FundEntry, FundEntry.body_id, Organisation),
    # A compound meeting's body is one of its compound's, its items lie in it, and so do
    # their issues.
    (CompoundMeeting, CompoundMeeting.body_id, Organisation),
    (CompoundMeetingItem, CompoundMeetingItem.meeting_id, CompoundMeeting),
    (CompoundMeetingItem, CompoundMeetingItem.issue_id, Issue),
)


async def _rows(session: AsyncSession, statement: Any) -> list[Any]:
    return list((await session.execute(statement)).all())


async def tree_breaks(session: AsyncSession) -> list[Any]:
    """Each organisation's path, depth and compound follow from its parent."""
    orgs = {o.id: o for o in (await session.execute(sa.select(Organisation))).scalars()}
    broken = []
    for org in orgs.values():
        parent = orgs.get(org.parent_id)
        path = child_path(parent.path if parent else None, org.id or 0)
        depth = parent.depth + 1 if parent else 0
        if org.kind is OrganisationKind.COMPOUND:
            compound = org.id
        else:
            compound = parent.compound_id if parent else None
        if (org.path, org.depth, org.compound_id) != (path, depth, compound):
            broken.append((org.id, org.path, org.depth, org.compound_id))
    return broken


async def compound_breaks(session: AsyncSession) -> list[Any]:
    """Every compound_id names a compound; a child row lies in its parent's compound; an
    issue's building and a person's residence building lie in their compound."""
    compounds = sa.select(Organisation.id).where(Organisation.kind == OrganisationKind.COMPOUND)
    broken: list[Any] = []
    for table in IN_A_COMPOUND:
        bad = sa.select(table.id).where(table.compound_id.not_in(compounds))
        broken += [(table.__tablename__, row.id) for row in await _rows(session, bad)]
    for child, key, parent in PARENTS:
        mismatched = (
            sa.select(child.id)
            .join(parent, parent.id == key)
            .where(child.compound_id != parent.compound_id)
        )
        broken += [(child.__tablename__, row.id) for row in await _rows(session, mismatched)]
    building = aliased(Organisation)
    for table, column, compound in (
        (Issue, Issue.building_id, Issue.compound_id),
        (Person, Person.residence_building_id, Person.residence_compound_id),
    ):
        outside = (
            sa.select(table.id)
            .join(building, building.id == column)
            .where(
                sa.or_(building.kind != OrganisationKind.BUILDING, building.compound_id != compound)
            )
        )
        broken += [(table.__tablename__, row.id) for row in await _rows(session, outside)]
    return broken


async def audit_scope_breaks(session: AsyncSession) -> list[Any]:
    """An audit entry's compound is its organisation's compound (none above compounds)."""
    statement = (
        sa.select(AuditEntry.seq, AuditEntry.compound_id, Organisation.compound_id)
        .join(Organisation, Organisation.id == AuditEntry.organisation_id)
        .where(
            sa.or_(
                AuditEntry.compound_id != Organisation.compound_id,
                sa.and_(AuditEntry.compound_id.is_(None), Organisation.compound_id.is_not(None)),
                sa.and_(AuditEntry.compound_id.is_not(None), Organisation.compound_id.is_(None)),
            )
        )
    )
    return await _rows(session, statement)


async def ledger_breaks(session: AsyncSession) -> list[Any]:
    """Double entry: every ledger entry's lines sum to nothing, and it has at least two."""
    statement = (
        sa.select(LedgerLine.entry_id, sa.func.sum(LedgerLine.amount), sa.func.count())
        .group_by(LedgerLine.entry_id)
        .having(sa.or_(sa.func.sum(LedgerLine.amount) != 0, sa.func.count() < 2))
    )
    lineless = sa.select(LedgerEntry.id).where(
        LedgerEntry.id.not_in(sa.select(LedgerLine.entry_id))
    )
    return await _rows(session, statement) + await _rows(session, lineless)


async def fund_breaks(session: AsyncSession) -> list[Any]:
    """Double entry of the funds: every entry has two lines summing to nothing, each account
    of the entry's ledger; the accounts that hold money are not below zero."""
    unbalanced = (
        sa.select(FundLine.entry_id, sa.func.sum(FundLine.amount), sa.func.count())
        .group_by(FundLine.entry_id)
        .having(sa.or_(sa.func.sum(FundLine.amount) != 0, sa.func.count() != 2))
    )
    lineless = sa.select(FundEntry.id).where(FundEntry.id.not_in(sa.select(FundLine.entry_id)))
    elsewhere = (
        sa.select(FundLine.id)
        .join(FundEntry, FundEntry.id == FundLine.entry_id)
        .join(FundAccount, FundAccount.id == FundLine.account_id)
        .where(FundAccount.ledger_id != FundEntry.ledger_id)
    )
    overdrawn = (
        sa.select(FundAccount.id, sa.func.sum(FundLine.amount))
        .join(FundLine, FundLine.account_id == FundAccount.id)
        .where(FundAccount.kind.in_(("BRANCH_FUNDS", "PUBLIC_REVENUE", "DISTRIBUTED", "SPENT")))
        .group_by(FundAccount.id)
        .having(sa.func.sum(FundLine.amount) < 0)
    )
    return [
        *await _rows(session, unbalanced),
        *await _rows(session, lineless),
        *await _rows(session, elsewhere),
        *await _rows(session, overdrawn),
    ]


async def deliberation_breaks(session: AsyncSession) -> list[Any]:
    """The branch deliberates first: every owners' committee item rests on an ADOPTED or
    REJECTED item of a HELD branch meeting of its compound; a branch item rests on none."""
    branch_item = aliased(CompoundMeetingItem)
    branch_meeting = aliased(CompoundMeeting)
    committee_items = (
        sa.select(CompoundMeetingItem.id)
        .join(CompoundMeeting, CompoundMeeting.id == CompoundMeetingItem.meeting_id)
        .outerjoin(branch_item, branch_item.id == CompoundMeetingItem.branch_item_id)
        .outerjoin(branch_meeting, branch_meeting.id == branch_item.meeting_id)
        .where(
            CompoundMeeting.kind == "COMMITTEE",
            sa.or_(
                branch_meeting.id.is_(None),
                branch_meeting.kind != "BRANCH",
                branch_meeting.status != "HELD",
                branch_meeting.compound_id != CompoundMeeting.compound_id,
                branch_item.outcome.not_in(("ADOPTED", "REJECTED")),
            ),
        )
    )
    branch_resting = (
        sa.select(CompoundMeetingItem.id)
        .join(CompoundMeeting, CompoundMeeting.id == CompoundMeetingItem.meeting_id)
        .where(CompoundMeeting.kind == "BRANCH", CompoundMeetingItem.branch_item_id.is_not(None))
    )
    return [*await _rows(session, committee_items), *await _rows(session, branch_resting)]


async def mobilisation_breaks(session: AsyncSession) -> list[Any]:
    """A call's answers come after it was sent, a report after its acknowledgement and none
    after the call closed or its deadline; the sender is never among the people called on, and each one was
    found in a compound inside the call's target or holding it (a building's call)."""
    calls = {c.id: c for c in (await session.execute(sa.select(Mobilisation))).scalars()}
    paths = dict(await _rows(session, sa.select(Organisation.id, Organisation.path)))
    compounds = dict(await _rows(session, sa.select(Organisation.id, Organisation.compound_id)))
    broken: list[Any] = []
    for call in calls.values():
        if (call.closed_at is not None) != (call.status is MobilisationStatus.CLOSED):
            broken.append(("closed", call.id))
    rows = (await session.execute(sa.select(MobilisationRecipient))).scalars()
    for row in rows:
        call = calls[row.mobilisation_id]
        acked, reported = row.acknowledged_at, row.reported_at
        target = paths[call.target_id]
        checks = [
            row.person_id != call.sent_by_id,
            acked is None or acked >= call.sent_at,
            (acked is None) == (row.response_seconds is None),
            reported is None or (acked is not None and reported >= acked),
            # Answers come before the deadline (later ones are refused).
            max(acked or call.sent_at, reported or call.sent_at) < call.respond_by,
            call.closed_at is None
            or max(acked or call.sent_at, reported or call.sent_at) <= call.closed_at,
            row.compound_id is None
            or paths[row.compound_id].startswith(target)
            or compounds.get(call.target_id) == row.compound_id,
        ]
        if not all(checks):
            broken.append((row.id, checks))
    return broken


async def timeline_breaks(session: AsyncSession) -> list[Any]:
    """Each status move is one the lifecycle allows, each issue's last move ends where it
    stands, and its timestamps agree with its state."""
    allowed = {(source, target) for (_, source), target in TRANSITIONS.items()}
    moves = await _rows(
        session,
        sa.select(IssueEvent.from_status, IssueEvent.to_status)
        .where(IssueEvent.from_status.is_not(None))
        .distinct(),
    )
    broken: list[Any] = [move for move in moves if (S(move[0]), S(move[1])) not in allowed]
    last = dict(
        await _rows(
            session,
            sa.select(IssueEvent.issue_id, IssueEvent.to_status).where(
                IssueEvent.id.in_(
                    sa.select(sa.func.max(IssueEvent.id))
                    .where(IssueEvent.to_status.is_not(None))
                    .group_by(IssueEvent.issue_id)
                )
            ),
        )
    )
    issues = (await session.execute(sa.select(Issue))).scalars().all()
    by_id = {issue.id: issue for issue in issues}
    for issue in issues:
        checks = [
            issue.updated_at >= issue.created_at,
            issue.status is S.REPORTED or last.get(issue.id) == issue.status,
            issue.status not in (S.CLAIMED, S.IN_PROGRESS, S.RESOLVED, S.CLOSED, S.REOPENED)
            or issue.claimed_at is not None,
            (issue.resolved_at is not None) == (issue.status in (S.RESOLVED, S.CLOSED)),
            (issue.closed_at is not None) == (issue.status is S.CLOSED),
            (issue.satisfaction is not None) == (issue.status is S.CLOSED),
        ]
        if issue.status is S.DUPLICATE:
            original = by_id[issue.duplicate_of_id]
            checks += [original.compound_id == issue.compound_id, original.id < (issue.id or 0)]
        if not all(checks):
            broken.append((issue.id, issue.status, checks))
    return broken


async def position_breaks(session: AsyncSession) -> list[Any]:
    """A term ends no earlier than it starts, and the title fits the organisation's kind."""
    rows = await _rows(
        session,
        sa.select(
            Position.id, Position.title, Position.start_date, Position.end_date, Organisation.kind
        ).join(Organisation, Organisation.id == Position.organisation_id),
    )
    return [
        row
        for row in rows
        if (row.end_date is not None and row.end_date < row.start_date)
        or row.kind not in TITLE_FITS[row.title]
    ]


async def derived_column_breaks(session: AsyncSession) -> list[Any]:
    """An issue's denormalised columns agree with what they derive from: its status rank (the
    STATUS order) with its status, its search text with its title and description, whether
    written through the model's hooks or in bulk."""
    rows = await _rows(
        session,
        sa.select(
            Issue.id,
            Issue.status,
            Issue.status_rank,
            Issue.title,
            Issue.description,
            Issue.search_text,
        ),
    )
    return [
        ("issue", row.id)
        for row in rows
        if row.status_rank != STATUS_RANK[IssueStatus(row.status)]
        or row.search_text != issue_search_text(row.title, row.description)
    ]


async def all_breaks(session: AsyncSession) -> dict[str, list[Any]]:
    """Every rule above, and whether the audit chain verifies, by name (empty: all hold)."""
    found = {
        "tree": await tree_breaks(session),
        "compounds": await compound_breaks(session),
        "audit scope": await audit_scope_breaks(session),
        "ledger": await ledger_breaks(session),
        "funds": await fund_breaks(session),
        "deliberations": await deliberation_breaks(session),
        "mobilisation": await mobilisation_breaks(session),
        "timelines": await timeline_breaks(session),
        "positions": await position_breaks(session),
        "derived columns": await derived_column_breaks(session),
    }
    _, chain_break = await verify_chain(session)
    found["audit chain"] = [chain_break] if chain_break is not None else []
    return {name: rows for name, rows in found.items() if rows}
