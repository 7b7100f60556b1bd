"""The party branch that serves a compound, in SQL: its own PARTY_BRANCH, or the joint branch
(聯合黨支部) of the grid it sits in, a PARTY_BRANCH made in the GRID itself (one per grid, lying
in no compound). Here, below resolvers, because the policy's scoping asks it too (a branch's
leaders sit in on the committee meetings of the compounds it serves: policies/scopes.py);
resolvers/organisations/branches.py adds the lookups on fetched rows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.models import Organisation, OrganisationKind


def branches_serving(compound: Any) -> sa.Select[Any]:
    """Id of the PARTY_BRANCH serving COMPOUND (a compound id, a column or a correlated
    expression): its own, or, when it has none, the joint branch of the grid it sits in."""
    # Aliases throughout: the caller's statement may read Organisation itself (correlated).
    # Each level correlates all but its own alias: auto-correlation reaches only the select
    # right around a subquery, and this one may sit deeper (an IN inside an EXISTS), where
    # the caller's table would otherwise be read anew, uncorrelated, as a second FROM.
    branch, inside, own = aliased(Organisation), aliased(Organisation), aliased(Organisation)
    in_grid = (
        sa.select(col(inside.parent_id))
        .where(col(inside.id) == compound, col(inside.kind) == OrganisationKind.COMPOUND)
        .correlate_except(inside)
        .scalar_subquery()
    )
    has_own = (
        sa.select(sa.literal(1))
        .where(col(own.kind) == OrganisationKind.PARTY_BRANCH, col(own.compound_id) == compound)
        .correlate_except(own)
        .exists()
    )
    return (
        sa.select(col(branch.id))
        .correlate_except(branch)
        .where(
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
    )


def compounds_served_by(branch_ids: Any) -> sa.Select[Any]:
    """Ids of the compounds the PARTY_BRANCHes BRANCH_IDS (ids, a statement of them, or one
    correlated column) serve: each compound's own branch, and a joint branch its grid's
    compounds without one."""
    branch, compound, own = aliased(Organisation), aliased(Organisation), aliased(Organisation)
    has_own = (
        sa.select(sa.literal(1))
        .where(col(own.kind) == OrganisationKind.PARTY_BRANCH, col(own.compound_id) == compound.id)
        .correlate_except(own)
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
        .correlate_except(compound, branch)  # as in branches_serving: at any depth
        .join(branch, serves)
        .where(
            col(compound.kind) == OrganisationKind.COMPOUND,
            col(branch.kind) == OrganisationKind.PARTY_BRANCH,
            col(branch.id).in_(branch_ids)
            if isinstance(branch_ids, list | tuple | sa.Select)
            else col(branch.id) == branch_ids,
        )
    )
