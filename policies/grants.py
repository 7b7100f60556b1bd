"""Grants: which role an actor holds over which part of the tree, derived from data.

Roles are never typed in per person. An active position grants its title's
role, a firm's staff act as the property firm in every compound the firm
serves under an active contract, and a residence makes a person a resident.
All of it is read for one person with one indexed statement per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import (
    LinkKind,
    Organisation,
    OrganisationLink,
    Person,
    Position,
    PositionTitle,
)
from db.paths import ROOT, path_above
from db.periods import Day, in_force_sql
from policies.actor import Actor
from policies.branches import compounds_served_by

SELF = "self"
RESIDENT = "resident"
COMMITTEE_MEMBER = "committee_member"
SECRETARY = "secretary"
PROPERTY_FIRM = "property_firm"
SUPERVISOR = "supervisor"
ADMIN = "admin"
VOLUNTEER_LEADER = "volunteer_leader"
# A grid's member (網格員): a community officer's reads, over the grid's compounds only.
GRID_WORKER = "grid_worker"
ROLES = (
    SELF,
    RESIDENT,
    COMMITTEE_MEMBER,
    SECRETARY,
    PROPERTY_FIRM,
    SUPERVISOR,
    ADMIN,
    VOLUNTEER_LEADER,
    GRID_WORKER,
)
# Roles held in a body inside a compound that act over the whole compound.
COMPOUND_WIDE = (SECRETARY, COMMITTEE_MEMBER, VOLUNTEER_LEADER)

# The role each title grants; titles not listed grant nothing beyond residence.
TITLE_ROLES: dict[PositionTitle, str] = {
    PositionTitle.SECRETARY: SECRETARY,
    PositionTitle.DEPUTY_SECRETARY: COMMITTEE_MEMBER,
    PositionTitle.BRANCH_COMMITTEE_MEMBER: COMMITTEE_MEMBER,
    PositionTitle.COMMITTEE_CHAIR: COMMITTEE_MEMBER,
    PositionTitle.COMMITTEE_MEMBER: COMMITTEE_MEMBER,
    PositionTitle.SUPERVISOR_BOARD_MEMBER: COMMITTEE_MEMBER,
    PositionTitle.SUPERVISORY_BOARD_CHAIR: COMMITTEE_MEMBER,
    PositionTitle.GRID_WORKER: GRID_WORKER,
    PositionTitle.PROPERTY_MANAGER: PROPERTY_FIRM,
    PositionTitle.PROPERTY_STAFF: PROPERTY_FIRM,
    PositionTitle.PARTY_BUILDING_LIAISON: PROPERTY_FIRM,
    PositionTitle.STREET_OFFICER: SUPERVISOR,
    PositionTitle.VOLUNTEER_TEAM_LEADER: VOLUNTEER_LEADER,
}
# Titles of a party branch only: at a joint branch (聯合黨支部, a PARTY_BRANCH of a grid, which
# lies in no compound) they act over the grid, so in each of its compounds.
BRANCH_TITLES = frozenset(
    {PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY, PositionTitle.BRANCH_COMMITTEE_MEMBER}
)
# The titles that lead a compound's party branch: its secretary or deputy sits in (列席) on the
# owners' committee's meetings, so reads them from when they are scheduled, and a committee
# meeting is held only with one of them attending (resolvers/deliberations/holding.py).
BRANCH_LEADERS = (PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY)
FIRM_TITLES = tuple(title for title, role in TITLE_ROLES.items() if role == PROPERTY_FIRM)


@dataclass(frozen=True, slots=True)
class Grant:
    """ROLE over the subtree at DOMAIN (an organisation path), and why."""

    role: str
    domain: str
    source: str

    def label(self) -> str:
        return f"{self.role}@{self.domain}"


def active_on(day: Day) -> sa.ColumnElement[bool]:
    """A position is active from its start date up to, not including, its end date."""
    return in_force_sql(col(Position.start_date), col(Position.end_date), day)


def compounds_led(person_id: int, day: Day) -> sa.Select[Any]:
    """The compounds whose party branch the person leads (BRANCH_LEADERS) on DAY: the branch's
    own compound, or a joint branch's grid's compounds (policies/branches.py)."""
    return compounds_served_by(
        sa.select(col(Position.organisation_id)).where(
            col(Position.person_id) == person_id,
            col(Position.title).in_(BRANCH_LEADERS),
            active_on(day),
        )
    )


def link_active_on(day: Day) -> sa.ColumnElement[bool]:
    return in_force_sql(col(OrganisationLink.start_date), col(OrganisationLink.end_date), day)


def _grants_statement() -> sa.CompoundSelect[str, str | None, str | None, str | None]:
    """One UNION ALL: (source, title, organisation path, compound path) rows for a person.

    Built once at import with bind parameters (:person_id, :day): building it per request
    (three aliases and a union) cost milliseconds of SQLAlchemy work on every sign-in.
    """
    person_id = sa.bindparam("person_id", type_=sa.Integer)
    day = sa.bindparam("day", type_=sa.Date)
    org = aliased(Organisation)
    compound = aliased(Organisation)
    served = aliased(Organisation)
    positions: sa.Select[str, str | None, str | None, str | None] = (
        sa.select(
            sa.literal("position").label("source"),
            sa.cast(col(Position.title), sa.String).label("title"),
            col(org.path).label("org_path"),
            col(compound.path).label("compound_path"),
        )
        .join(org, col(org.id) == Position.organisation_id)
        .outerjoin(compound, col(compound.id) == org.compound_id)
        .where(col(Position.person_id) == person_id, active_on(day))
    )
    contracts: sa.Select[str, str | None, str | None, str | None] = (
        sa.select(
            sa.literal("contract"),
            sa.cast(col(Position.title), sa.String),
            col(served.path),
            col(served.path),
        )
        .join(
            OrganisationLink,
            sa.and_(
                col(OrganisationLink.source_id) == Position.organisation_id,
                col(OrganisationLink.kind) == LinkKind.SERVES,
                link_active_on(day),
            ),
        )
        .join(served, col(served.id) == OrganisationLink.target_id)
        .where(
            col(Position.person_id) == person_id,
            active_on(day),
            col(Position.title).in_(FIRM_TITLES),
        )
    )
    residence: sa.Select[str, str | None, str | None, str | None] = (
        sa.select(
            sa.case((col(Person.is_admin), sa.literal("admin")), else_=sa.literal("residence")),
            sa.literal(None, sa.String),
            col(compound.path),
            col(compound.path),
        )
        .outerjoin(compound, col(compound.id) == Person.residence_compound_id)
        .where(col(Person.id) == person_id)
    )
    return sa.union_all(positions, contracts, residence)


GRANTS_STATEMENT = _grants_statement()


def grants_from_rows(rows: list[tuple[str, str | None, str | None, str | None]]) -> list[Grant]:
    grants: list[Grant] = []
    for source, title, org_path, compound_path in rows:
        if source == "admin":
            grants.append(Grant(ADMIN, ROOT, "platform administrator"))
        if source in ("admin", "residence"):
            if compound_path is not None:
                grants.append(Grant(RESIDENT, compound_path, "residence"))
            continue
        role = TITLE_ROLES.get(PositionTitle(title)) if title else None
        if role is None or org_path is None:
            continue
        if source == "contract":
            grants.append(Grant(role, org_path, f"{title} of a firm serving {org_path}"))
        elif role in COMPOUND_WIDE:
            # Compound bodies act over the whole compound, not only their own node; a joint
            # branch's officers over the grid that holds the branch and its compounds.
            domain = compound_path or org_path
            if compound_path is None and title in BRANCH_TITLES:
                domain = path_above(org_path)
            grants.append(Grant(role, domain, f"{title} at {org_path}"))
        else:
            grants.append(Grant(role, org_path, f"{title} at {org_path}"))
    # A person always may see their own record.
    grants.append(Grant(SELF, ROOT, "signed in"))
    return sorted(set(grants), key=lambda g: (g.role, g.domain, g.source))


def member_paths(rows: list[tuple[str, str | None, str | None, str | None]]) -> list[str]:
    """Paths of the organisations the person works in today (their active positions)."""
    return sorted(
        {org_path for source, _, org_path, _ in rows if source == "position" and org_path}
    )


async def _rows(
    session: AsyncSession | AsyncConnection, person_id: int, day: date
) -> list[tuple[str, str | None, str | None, str | None]]:
    result = await session.execute(GRANTS_STATEMENT, {"person_id": person_id, "day": day})
    return [tuple(row) for row in result.all()]  # type: ignore[misc]


async def load_grants(session: AsyncSession, person_id: int, day: date) -> list[Grant]:
    return grants_from_rows(await _rows(session, person_id, day))


async def load_actor(
    session: AsyncSession | AsyncConnection, person_id: int, token_id: int | None, day: date
) -> Actor:
    """The actor for a person on DAY: grants and workplaces from one statement."""
    rows = await _rows(session, person_id, day)
    return Actor(
        person_id=person_id,
        token_id=token_id,
        grants=tuple(grants_from_rows(rows)),
        member_of=tuple(member_paths(rows)),
    )
