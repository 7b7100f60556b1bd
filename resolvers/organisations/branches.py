"""The party branch that serves a compound: its own PARTY_BRANCH, or the joint branch (聯合黨支部)
of the grid it sits in, a PARTY_BRANCH made in the GRID itself (one per grid, lying in no
compound). One lookup, in SQL and for a fetched row, for every feature that asks "the
compound's branch" (funds, indicators, meetings)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import Organisation, OrganisationKind


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


def branches_serving(compound: Any) -> sa.Select[Any]:
    """Id of the PARTY_BRANCH serving COMPOUND (a compound id, a column or a correlated
    expression): its own, or, when it has none, the joint branch of the grid it sits in."""
    # Aliases throughout: the caller's statement may read Organisation itself (correlated).
    branch, inside, own = aliased(Organisation), aliased(Organisation), aliased(Organisation)
    in_grid = (
        sa.select(col(inside.parent_id))
        .where(col(inside.id) == compound, col(inside.kind) == OrganisationKind.COMPOUND)
        .scalar_subquery()
    )
    has_own = (
        sa.select(sa.literal(1))
        .where(col(own.kind) == OrganisationKind.PARTY_BRANCH, col(own.compound_id) == compound)
        .exists()
    )
    return sa.select(col(branch.id)).where(
        col(branch.kind) == OrganisationKind.PARTY_BRANCH,
        sa.or_(
            col(branch.compound_id) == compound,
            sa.and_(
                col(branch.compound_id).is_(None),
                col(branch.parent_id) == in_grid,
                ~has_own,
            ),
        ),
    )


async def branch_serving(session: AsyncSession, compound_id: int) -> Organisation | None:
    """The branch serving the compound: its own if it has one, else its grid's joint branch."""
    rows = await session.execute(
        sa.select(Organisation)
        .where(col(Organisation.id).in_(branches_serving(compound_id)))
        .order_by(col(Organisation.id))
        .limit(1)
    )
    return rows.scalars().first()


def compounds_served_by(branch_ids: Any) -> sa.Select[Any]:
    """Ids of the compounds the PARTY_BRANCHes BRANCH_IDS (ids, a statement of them, or one
    correlated column) serve: each compound's own branch, and a joint branch its grid's
    compounds without one."""
    branch, compound, own = aliased(Organisation), aliased(Organisation), aliased(Organisation)
    has_own = (
        sa.select(sa.literal(1))
        .where(col(own.kind) == OrganisationKind.PARTY_BRANCH, col(own.compound_id) == compound.id)
        .exists()
    )
    serves = sa.or_(
        col(branch.compound_id) == col(compound.id),
        sa.and_(
            col(branch.compound_id).is_(None),
            col(compound.parent_id) == col(branch.parent_id),
            ~has_own,
        ),
    )
    return (
        sa.select(col(compound.id))
        .join(branch, serves)
        .where(
            col(compound.kind) == OrganisationKind.COMPOUND,
            col(branch.kind) == OrganisationKind.PARTY_BRANCH,
            col(branch.id).in_(branch_ids)
            if isinstance(branch_ids, list | tuple | sa.Select)
            else col(branch.id) == branch_ids,
        )
    )


async def compounds_served(session: AsyncSession, branch: Organisation) -> list[int]:
    """The compounds BRANCH serves: its own, or a joint branch's grid's compounds (those
    without a branch of their own)."""
    rows = await session.execute(compounds_served_by([branch.id]))
    return sorted(int(i or 0) for i in rows.scalars())
