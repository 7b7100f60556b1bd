"""Helpers every domain module uses: scoped reads and locked writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import sqlalchemy as sa
from cachetools import LRUCache
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from db.entity_rows import read_whole
from db.models import Organisation, OrganisationKind
from db.paths import ROOT, any_subtree_clause, in_subtree
from policies.authorizer import MAX_NAMED_ORGANISATIONS
from resolvers.context import RequestContext
from resolvers.errors import Conflict, Forbidden, NotFound, NotVisible
from resolvers.i18n import Text, tr
from resolvers.kept import KeptPer

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
    # Kept between requests while the access epoch read with the caller's token stands
    # still: any change to an organisation's place, kind or existence moves it on.
    # A replica may lag the epoch the token read on the primary: nothing is kept then. Nor
    # where reads share the writers' transaction (tests): an epoch seen there is not yet
    # committed, and once rolled back its value comes again over other data.
    fresh = ctx.has_written or not ctx.reads_what_the_token_read or not ctx.db.owns_transactions
    epoch = None if fresh else ctx.actor.epoch
    kept = _kept_ids.get((key, epoch)) if epoch is not None else None
    if kept is not None:
        found = kept.found
    else:
        statement = _ids_under_statement(tuple(sorted(paths)), kind, at_most)
        rows = [(int(row.id), str(row.path)) for row in (await ctx.read(statement)).all()]
        found = (
            None
            if at_most is not None and len(rows) > at_most
            else {path: [id_ for id_, at in rows if in_subtree(at, path)] for path in paths}
        )
        if epoch is not None:
            _kept_ids[(key, epoch)] = _KeptIds(found)
    ctx.caches[key] = found
    return found


@dataclass(frozen=True)
class _KeptIds:
    found: dict[str, list[int]] | None


_kept_ids: LRUCache[tuple[str, int], _KeptIds] = LRUCache(maxsize=1024)


@lru_cache(maxsize=1024)
def _ids_under_statement(
    paths: tuple[str, ...], kind: OrganisationKind | None, at_most: int | None
) -> sa.Select[int | None, str]:
    # Built once per (paths, kind, bound): a caller's domains are the same on every request.
    statement = sa.select(col(Organisation.id), col(Organisation.path)).where(
        any_subtree_clause(col(Organisation.path), list(paths))
    )
    if kind is not None:
        statement = statement.where(col(Organisation.kind) == kind)
    if at_most is not None:
        statement = statement.limit(at_most + 1)
    return statement


async def visible_by_ids(
    ctx: RequestContext, model: type[M], resource: str, ids: Sequence[int]
) -> dict[int, M]:
    """The visible rows among IDS, keyed by id (invisible or missing ones are absent): rows
    of MODEL's columns, not entities (db/entity_rows.py), for reading only."""
    if not ids:
        return {}
    scope = ctx.auth.decide(resource, "read").where()
    statement = by_ids_statement(model, scope, ctx.db.dialect_name)
    # Read as column rows: loaders and node fetches only look at the values.
    rows = await read_whole(ctx.read, statement, {ROW_IDS: sorted(set(ids))})
    return {row.id: row for row in rows}


# Every DataLoader and node fetch reads rows by ids within the caller's scope; the scope
# clause is shared by callers of equal grants (policies/authorizer.py), so its statement,
# with the ids as a parameter (among_ids), is built once per (model, scope, dialect).
_by_ids: KeptPer[sa.Select[Any]] = KeptPer(1024)


# The parameters of the two kept row statements: the ids (a list), the one id.
ROW_IDS = "ids"
ROW_ID = "visible_row_id"


def by_ids_statement(model: type[M], scope: sa.ColumnElement[bool], dialect: str) -> sa.Select[M]:
    """MODEL's rows in SCOPE among the ids given as ROW_IDS, kept per (model, scope) for
    DIALECT's database."""
    kept = _by_ids.get((scope,), (model, dialect))
    if kept is None:
        id_column: Any = model.id  # type: ignore[attr-defined]
        statement = sa.select(model).where(scope).where(among_ids(id_column, dialect))
        kept = _by_ids.keep((scope,), (model, dialect), statement)
    return kept


def among_ids(column: Any, dialect: str) -> sa.ColumnElement[bool]:
    """COLUMN (an id column) is one of the ids given as ROW_IDS (a list), on DIALECT's
    database."""
    among: sa.ColumnElement[bool]
    if dialect == "postgresql":
        # One array parameter rather than an expanding list: the SQL is the same for any
        # number of ids, so the read can go straight to the driver (db/direct_reads.py
        # takes no expanding parameter).
        among = column == sa.any_(sa.bindparam(ROW_IDS, type_=postgresql.ARRAY(sa.Integer())))
    else:
        among = column.in_(sa.bindparam(ROW_IDS, expanding=True))
    return among


async def visible_one(
    ctx: RequestContext,
    session: AsyncSession,
    model: type[M],
    resource: str,
    id_: int,
    label: Text,
    *,
    lock: bool = False,
) -> M:
    """One row the caller may read, read in SESSION (and with LOCK, locked FOR UPDATE for
    its transaction), or NOT_FOUND (never says which).

    A row that exists out of the caller's scope raises NotVisible, audited as a denial.
    """
    row, _ = await visible_one_with(ctx, session, model, resource, id_, label, lock=lock)
    return row


# Adds to a row's scoped statement what is read with it (outer joins and their columns).
Extend = Callable[[sa.Select[Any]], sa.Select[Any]]


async def visible_one_with(
    ctx: RequestContext,
    session: AsyncSession,
    model: type[M],
    resource: str,
    id_: int,
    label: Text,
    *,
    lock: bool = False,
    extend: Extend | None = None,
) -> tuple[M, tuple[Any, ...]]:
    """As `visible_one`, and the values of the columns EXTEND adds to the row's statement
    (read in the same statement: no round trip of their own)."""
    id_column: Any = model.id  # type: ignore[attr-defined]
    scope = ctx.auth.decide(resource, "read").where()
    statement = one_row_statement(model, scope, extend, lock)
    found = (await session.execute(statement, {ROW_ID: id_})).one_or_none()
    if found is None:
        raise await missing(
            session,
            sa.select(sa.literal(1)).where(id_column == id_),
            tr("No {label} with that id exists or you may not see it.", label=label),
        )
    return found[0], tuple(found[1:])


# A mutation's row read, per (model, scope clause, extension, lock), the id a parameter:
# built once, as `by_ids_statement` is, rather than on every mutation (and by a node read).
_one: KeptPer[sa.Select[Any]] = KeptPer(1024)


def one_row_statement(
    model: type[M],
    scope: sa.ColumnElement[bool],
    extend: Extend | None = None,
    lock: bool = False,
) -> sa.Select[Any]:
    """MODEL's row in SCOPE whose id is given as ROW_ID (with EXTEND's columns; with LOCK,
    locked for the transaction), kept per (model, scope, extension, lock)."""
    objects: tuple[object, ...] = (scope,) if extend is None else (scope, extend)
    kept = _one.get(objects, (model, lock))
    if kept is None:
        id_column: Any = model.id  # type: ignore[attr-defined]
        statement: sa.Select[Any] = (
            sa.select(model).where(scope).where(id_column == sa.bindparam(ROW_ID))
        )
        if extend is not None:
            statement = extend(statement)
        if lock:
            # The row as the lock sees it (populate_existing: over any copy read before);
            # only the row's own table is locked, not what EXTEND joins.
            statement = statement.with_for_update(of=model).execution_options(
                populate_existing=True
            )
        kept = _one.keep(objects, (model, lock), statement)
    return kept


def for_own_partner(ctx: RequestContext, organisation_id: int, what: Text) -> None:
    """A partner token acts only for its own organisation (claims, commitments): FORBIDDEN
    when it names another. People acting for themselves are not limited here."""
    partner = ctx.actor.partner_organisation_id
    if partner is not None and organisation_id != partner:
        raise Forbidden(tr("A partner token {what} only for its own organisation.", what=what))


async def missing(session: AsyncSession, exists: sa.Select[Any], message: Text) -> NotFound:
    """The error for a row the caller's scoped read did not find: NotVisible (a denial in
    the audit log) when EXISTS, run unscoped, finds it, else NotFound. Both read NOT_FOUND."""
    found = (await session.execute(exists.limit(1))).first() is not None
    return NotVisible(message) if found else NotFound(message)


async def locked(session: AsyncSession, model: type[M], id_: int, label: Text) -> M:
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
        raise NotFound(tr("No {label} with that id exists or you may not see it.", label=label))
    return row


async def visible_locked(
    ctx: RequestContext, session: AsyncSession, model: type[M], resource: str, id_: int, label: Text
) -> M:
    """One row the caller may read (as `visible_one`), locked for this write transaction, in
    one statement: on PostgreSQL the scoped read takes the row's lock (FOR UPDATE OF its
    table; waiting on another writer, it sees the row as that writer left it, its scope
    checked again). SQLite's write transaction holds the database's lock from BEGIN
    IMMEDIATE, before the read: nobody can change the row meanwhile."""
    row, _ = await visible_locked_with(ctx, session, model, resource, id_, label)
    return row


async def visible_locked_with(
    ctx: RequestContext,
    session: AsyncSession,
    model: type[M],
    resource: str,
    id_: int,
    label: Text,
    *,
    extend: Extend | None = None,
) -> tuple[M, tuple[Any, ...]]:
    """As `visible_locked`, and the values of the columns EXTEND adds to its statement."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    return await visible_one_with(
        ctx, session, model, resource, id_, label, lock=not sqlite, extend=extend
    )


def check_version(row: Any, expected: int | None, label: Text) -> None:
    if expected is not None and row.version != expected:
        raise Conflict(
            tr(
                "The {label} was changed by someone else (version {version}, you sent "
                "{expected}). Reload it and try again.",
                label=label,
                version=row.version,
                expected=expected,
            ),
            currentVersion=row.version,
        )


async def organisation_path(session: AsyncSession, organisation_id: int) -> str:
    path = (
        await session.execute(
            sa.select(col(Organisation.path)).where(col(Organisation.id) == organisation_id)
        )
    ).scalar_one_or_none()
    if path is None:
        raise NotFound(tr("No organisation with that id exists or you may not see it."))
    return path


async def subtree_root(ctx: RequestContext, organisation_id: int) -> list[str]:
    """[the organisation's path] for a subtree filter; [] (matching nothing) if there is none."""
    path = (
        await ctx.read(
            sa.select(col(Organisation.path)).where(col(Organisation.id) == organisation_id)
        )
    ).scalar_one_or_none()
    return [path] if path else []
