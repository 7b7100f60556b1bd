"""Helpers every domain module uses: scoped reads and locked writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from db.models import Organisation, OrganisationKind
from db.paths import ROOT, any_subtree_clause, in_subtree
from policies.authorizer import MAX_NAMED_ORGANISATIONS
from resolvers.context import RequestContext
from resolvers.errors import Conflict, Forbidden, NotFound, NotVisible

M = TypeVar("M", bound=SQLModel)


def scoped(ctx: RequestContext, model: type[M], resource: str) -> sa.Select[M]:
    """SELECT of MODEL limited in SQL to the rows the caller may read."""
    return sa.select(model).where(ctx.auth.decide(resource, "read").where())


async def read_branches(ctx: RequestContext, resource: str) -> tuple[sa.ColumnElement[bool], ...]:
    """The rows the caller may read as separate index-friendly clauses (their OR is what
    `scoped` applies), with subtree domains resolved to compound ids in one statement."""
    decision = ctx.auth.decide(resource, "read")
    # The whole city needs no compound named (its branch reads every row).
    domains = [domain for domain in decision.compound_domains if domain != ROOT]
    compounds = await compounds_under(ctx, domains) if domains else {}
    paths = decision.organisation_paths
    organisations = (
        await organisations_under_each(ctx, paths, at_most=MAX_NAMED_ORGANISATIONS) if paths else {}
    )
    return decision.branches(compounds, organisations)


async def compounds_under(ctx: RequestContext, domains: Sequence[str]) -> dict[str, list[int]]:
    """The ids of the compounds under each domain, read once per request."""
    found = await _ids_under(ctx, domains, kind=OrganisationKind.COMPOUND, at_most=None)
    assert found is not None  # no bound, so never too many
    return found


async def organisations_under_each(
    ctx: RequestContext, paths: Sequence[str], *, at_most: int
) -> dict[str, list[int]] | None:
    """The ids of the organisations under each of PATHS, read once per request; None when
    more than AT_MOST lie under them together (the caller then keeps a subquery)."""
    return await _ids_under(ctx, paths, kind=None, at_most=at_most)


async def _ids_under(
    ctx: RequestContext,
    paths: Sequence[str],
    *,
    kind: OrganisationKind | None,
    at_most: int | None,
) -> dict[str, list[int]] | None:
    """Organisation ids (of KIND, if given) under each of PATHS, in one statement kept for
    the request; None when more than AT_MOST lie under them together."""
    key = f"ids_under:{kind}:{at_most}:" + "|".join(sorted(paths))
    if key in ctx.caches:
        cached: dict[str, list[int]] | None = ctx.caches[key]
        return cached
    statement = sa.select(col(Organisation.id), col(Organisation.path)).where(
        any_subtree_clause(col(Organisation.path), list(paths))
    )
    if kind is not None:
        statement = statement.where(col(Organisation.kind) == kind)
    if at_most is not None:
        statement = statement.limit(at_most + 1)
    rows = [(int(row.id), str(row.path)) for row in (await ctx.read(statement)).all()]
    found = (
        None
        if at_most is not None and len(rows) > at_most
        else {path: [id_ for id_, at in rows if in_subtree(at, path)] for path in paths}
    )
    ctx.caches[key] = found
    return found


async def visible_by_ids(
    ctx: RequestContext, model: type[M], resource: str, ids: Sequence[int]
) -> dict[int, M]:
    """The visible rows among IDS, keyed by id (invisible or missing ones are absent)."""
    if not ids:
        return {}
    id_column: Any = model.id  # type: ignore[attr-defined]
    rows = (await ctx.read(scoped(ctx, model, resource).where(id_column.in_(set(ids))))).scalars()
    return {row.id: row for row in rows}


async def visible_one(
    ctx: RequestContext, session: AsyncSession, model: type[M], resource: str, id_: int, label: str
) -> M:
    """One row the caller may read, read in SESSION, or NOT_FOUND (never says which).

    A row that exists out of the caller's scope raises NotVisible, audited as a denial.
    """
    id_column: Any = model.id  # type: ignore[attr-defined]
    row = (
        await session.execute(scoped(ctx, model, resource).where(id_column == id_))
    ).scalar_one_or_none()
    if row is None:
        raise await missing(
            session,
            sa.select(sa.literal(1)).where(id_column == id_),
            f"No {label} with that id exists or you may not see it.",
        )
    return row


def for_own_partner(ctx: RequestContext, organisation_id: int, what: str) -> None:
    """A partner token acts only for its own organisation (claims, commitments): FORBIDDEN
    when it names another. People acting for themselves are not limited here."""
    partner = ctx.actor.partner_organisation_id
    if partner is not None and organisation_id != partner:
        raise Forbidden(f"A partner token {what} only for its own organisation.")


async def missing(session: AsyncSession, exists: sa.Select[Any], message: str) -> NotFound:
    """The error for a row the caller's scoped read did not find: NotVisible (a denial in
    the audit log) when EXISTS, run unscoped, finds it, else NotFound. Both read NOT_FOUND."""
    found = (await session.execute(exists.limit(1))).first() is not None
    return NotVisible(message) if found else NotFound(message)


async def locked(session: AsyncSession, model: type[M], id_: int, label: str) -> M:
    """Row ID of MODEL, locked for this transaction (FOR UPDATE on PostgreSQL).

    populate_existing: a copy of the row read earlier in this session (before the
    lock) must be overwritten with what the lock sees, or a version check could pass
    on stale data.
    """
    id_column: Any = model.id  # type: ignore[attr-defined]
    statement = (
        sa.select(model)
        .where(id_column == id_)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = (await session.execute(statement)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"No {label} with that id exists or you may not see it.")
    return row


def check_version(row: Any, expected: int | None, label: str) -> None:
    if expected is not None and row.version != expected:
        raise Conflict(
            f"The {label} was changed by someone else (version {row.version}, you sent "
            f"{expected}). Reload it and try again.",
            current_version=row.version,
        )


async def organisation_path(session: AsyncSession, organisation_id: int) -> str:
    path = (
        await session.execute(
            sa.select(col(Organisation.path)).where(col(Organisation.id) == organisation_id)
        )
    ).scalar_one_or_none()
    if path is None:
        raise NotFound("No organisation with that id exists or you may not see it.")
    return path


async def subtree_root(ctx: RequestContext, organisation_id: int) -> list[str]:
    """[the organisation's path] for a subtree filter; [] (matching nothing) if there is none."""
    path = (
        await ctx.read(
            sa.select(col(Organisation.path)).where(col(Organisation.id) == organisation_id)
        )
    ).scalar_one_or_none()
    return [path] if path else []
