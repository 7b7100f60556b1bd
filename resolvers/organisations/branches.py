"""The party branch that serves a compound: its own PARTY_BRANCH, or the joint branch (聯合黨支部)
of the grid it sits in, a PARTY_BRANCH made in the GRID itself (one per grid, lying in no
compound). One lookup, in SQL (policies/branches.py, which the policy's scoping asks too) and
for a fetched row, for every feature that asks "the compound's branch" (funds, indicators,
meetings)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Organisation, OrganisationKind
from policies.branches import branches_serving as branches_serving
from policies.branches import compounds_served_by as compounds_served_by


def is_branch(organisation: Organisation) -> bool:
    """A compound's own branch, or a joint branch (in no compound: it lies in a grid)."""
    return organisation.kind is OrganisationKind.PARTY_BRANCH


def is_joint(branch: Organisation) -> bool:
    return is_branch(branch) and branch.compound_id is None


def branch_place_id(branch: Organisation) -> int:
    """Where a branch's own records lie: its compound, or a joint branch's grid."""
    place = branch.compound_id if branch.compound_id is not None else branch.parent_id
    assert place is not None  # a joint branch always has its grid as parent
    return place


async def branch_serving(session: AsyncSession, compound_id: int) -> Organisation | None:
    """The branch serving the compound: its own if it has one, else its grid's joint branch."""
    rows = await session.execute(
        sa.select(Organisation)
        .where(col(Organisation.id).in_(branches_serving(compound_id)))
        .order_by(col(Organisation.id))
        .limit(1)
    )
    return rows.scalars().first()


async def compounds_served(session: AsyncSession, branch: Organisation) -> list[int]:
    """The compounds BRANCH serves: its own, or a joint branch's grid's compounds (those
    without a branch of their own)."""
    rows = await session.execute(compounds_served_by([branch.id]))
    return sorted(int(i or 0) for i in rows.scalars())
