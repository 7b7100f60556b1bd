"""Synthetic compounds for the indicators' tests and benchmark: every kind of row the
indicators read, in a fixed and known shape, written straight to the tables.

Each compound gets a party branch (a secretary and a branch committee member), an
owners' committee of four (the chair is a party member and the cross-appointed
branch committee member; one more member is a party member), a past committee
member, two building party groups with one household head, and — relative to the
day ON — issues, love-bank entries and partner projects as listed in
``SHAPE``. tests/schema/test_indicators.py holds the figures this must give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    PRIORITY_RANK,
    AccountKind,
    CoBuildingProject,
    Issue,
    IssueCategory,
    IssueChannel,
    IssuePriority,
    IssueStatus,
    LedgerEntry,
    LedgerEntryKind,
    Organisation,
    OrganisationKind,
    PartyMembership,
    Person,
    Position,
    PositionTitle,
    ProjectStatus,
)
from db.paths import child_path
from resolvers.love_bank.ledger import account_id, post

T = PositionTitle
K = OrganisationKind


async def add_organisation(
    session: AsyncSession, name: str, kind: OrganisationKind, parent: Organisation
) -> Organisation:
    organisation = Organisation(
        name=name,
        kind=kind,
        parent_id=parent.id,
        path=f"/pending-{name}/",
        depth=parent.depth + 1,
        compound_id=parent.compound_id,
    )
    session.add(organisation)
    await session.flush()
    assert organisation.id is not None
    organisation.path = child_path(parent.path, organisation.id)
    if kind is K.COMPOUND:
        organisation.compound_id = organisation.id
    await session.flush()
    return organisation


@dataclass(frozen=True)
class IssueShape:
    """An issue by day offsets from ON (created, due, resolved, closed) and a rating."""

    status: IssueStatus
    created: int
    due: int
    resolved: int | None = None
    closed: int | None = None
    rating: int | None = None


# Offsets in days from ON; the period is 1 January of ON's year up to the end of ON.
# With ON = 30 June: received 7 (all but the last), resolved in the period 3 (after 48 h,
# 96 h and 24 h: median 48 h), overdue on ON 3, two closed with ratings 4 and 2 (mean 3).
SHAPE = (
    IssueShape(IssueStatus.CLOSED, created=-149, due=-145, resolved=-147, closed=-146, rating=4),
    IssueShape(IssueStatus.CLOSED, created=-121, due=-120, resolved=-117, closed=-116, rating=2),
    IssueShape(IssueStatus.IN_PROGRESS, created=-29, due=-20),
    IssueShape(IssueStatus.REPORTED, created=-1, due=5),
    IssueShape(IssueStatus.REJECTED, created=-90, due=-89),
    IssueShape(IssueStatus.RESOLVED, created=-60, due=-58, resolved=15),
    IssueShape(IssueStatus.RESOLVED, created=-171, due=-165, resolved=-170),
    IssueShape(IssueStatus.CLAIMED, created=-192, due=-187),
)
# (kind, points, day offset): earned 50 and redeemed 15 in the period.
LEDGER = (
    (LedgerEntryKind.EARN, 30, -121),
    (LedgerEntryKind.EARN, 20, 0),
    (LedgerEntryKind.EARN, 50, -200),
    (LedgerEntryKind.EARN, 10, 1),
    (LedgerEntryKind.REDEEM, 15, -56),
)
# Projects of ON's year: committed 2 (not the cancelled one), completed 1; one of last year.
PROJECTS = (
    (ProjectStatus.COMPLETED, 0),
    (ProjectStatus.COMMITTED, 0),
    (ProjectStatus.CANCELLED, 0),
    (ProjectStatus.COMPLETED, -1),
)


def _moment(on: date, days: int) -> datetime:
    """Noon UTC (20:00 in China) DAYS after ON: well inside that day in both calendars."""
    return datetime(on.year, on.month, on.day, 12, tzinfo=UTC) + timedelta(days=days)


async def synthetic_compound(
    session: AsyncSession, parent: Organisation, name: str, on: date, partner: Organisation
) -> int:
    """One compound of the fixed shape under PARENT; returns its id."""
    compound = await add_organisation(session, name, K.COMPOUND, parent)
    branch = await add_organisation(session, f"{name}黨支部", K.PARTY_BRANCH, compound)
    committee = await add_organisation(session, f"{name}業委會", K.OWNERS_COMMITTEE, compound)
    groups = [
        await add_organisation(session, f"{name}{n}號樓黨小組", K.PARTY_GROUP, compound)
        for n in (1, 2)
    ]
    people = [
        Person(
            name=f"{name}居民{n}",
            residence_compound_id=compound.id,
            party_membership=PartyMembership.MEMBER if n in (0, 1, 4) else PartyMembership.NONE,
        )
        for n in range(7)
    ]
    session.add_all(people)
    await session.flush()
    ids = [person.id or 0 for person in people]
    start = date(on.year - 2, 1, 1)
    positions = [
        (ids[0], committee, T.COMMITTEE_CHAIR, None),
        (ids[0], branch, T.BRANCH_COMMITTEE_MEMBER, None),
        (ids[1], committee, T.COMMITTEE_MEMBER, None),
        (ids[2], committee, T.COMMITTEE_MEMBER, None),
        (ids[3], committee, T.COMMITTEE_MEMBER, None),
        (ids[3], committee, T.PROPERTY_MONITOR, None),  # not a committee seat
        (ids[4], branch, T.SECRETARY, None),
        (ids[5], committee, T.COMMITTEE_MEMBER, on - timedelta(days=30)),  # left office
        (ids[5], groups[0], T.PARTY_HOUSEHOLD_HEAD, None),
        (ids[6], groups[1], T.PARTY_HOUSEHOLD_HEAD, on - timedelta(days=1)),  # ended
    ]
    session.add_all(
        Position(
            person_id=person,
            organisation_id=organisation.id or 0,
            title=title,
            start_date=start,
            end_date=end,
        )
        for person, organisation, title, end in positions
    )
    session.add_all(_issue(compound.id or 0, ids[2], shape, on) for shape in SHAPE)
    issuance = await account_id(session, AccountKind.ISSUANCE, compound.id or 0)
    volunteer = await account_id(session, AccountKind.PERSON, ids[3])
    for kind, points, offset in LEDGER:
        entry = LedgerEntry(
            kind=kind, compound_id=compound.id or 0, occurred_on=on + timedelta(days=offset)
        )
        earn = kind is LedgerEntryKind.EARN
        lines = [(issuance, -points), (volunteer, points)]
        await post(session, entry, lines if earn else [(volunteer, -points), (issuance, points)])
    session.add_all(
        CoBuildingProject(
            compound_id=compound.id or 0,
            partner_id=partner.id or 0,
            year=on.year + year,
            title=f"實事{n}",
            status=status,
            committed_on=date(on.year + year, 1, 15),
            completed_on=date(on.year + year, 3, 1) if status is ProjectStatus.COMPLETED else None,
        )
        for n, (status, year) in enumerate(PROJECTS)
    )
    await session.flush()
    return compound.id or 0


def _issue(compound_id: int, reporter: int, shape: IssueShape, on: date) -> Issue:
    created = _moment(on, shape.created)
    resolved = None if shape.resolved is None else _moment(on, shape.resolved)
    return Issue(
        compound_id=compound_id,
        reporter_id=reporter,
        channel=IssueChannel.HOTLINE,
        category=IssueCategory.OTHER,
        priority=IssuePriority.NORMAL,
        priority_rank=PRIORITY_RANK[IssuePriority.NORMAL],
        title="指標測試",
        status=shape.status,
        created_at=created,
        updated_at=created,
        due_at=_moment(on, shape.due),
        resolved_at=resolved,
        resolve_seconds=None if resolved is None else int((resolved - created).total_seconds()),
        closed_at=None if shape.closed is None else _moment(on, shape.closed),
        satisfaction=shape.rating,
    )


async def synthetic_compounds(
    session: AsyncSession, parent: Organisation, count: int, on: date, partner: Organisation
) -> list[int]:
    """COUNT compounds of the fixed shape under PARENT."""
    return [
        await synthetic_compound(session, parent, f"合成小區{n:04d}", on, partner)
        for n in range(count)
    ]
