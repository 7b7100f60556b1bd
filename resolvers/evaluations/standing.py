"""A property firm's standing (物業黑白名單): white or black list entries with a term.

Set by a supervisor or an admin (standing:set) over the firm: the firm lies under their
part of the tree, or serves (in any term) a compound that does. Read (standing:read) by
supervisors, the firm's staff, and the people of every compound the firm serves, has
served or is contracted to serve. One firm's entries never overlap: a new entry starts
after every earlier one, and the entry running when it starts ends that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.entity_rows import read_whole
from db.models import (
    Evaluation,
    EvaluationStatus,
    FirmStanding,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
    StandingList,
)
from db.periods import in_force_sql
from db.types import utcnow
from policies.conditions import RowFacts
from resolvers.audited import AuditRecord
from resolvers.common import locked, scoped, visible_by_ids, visible_one
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput, Conflict, NotFound, NotVisible
from resolvers.i18n import coded, tr
from resolvers.mutations import Mutation
from resolvers.pagination import Page, Window, keyset_page
from resolvers.text import clean_text

RESOURCE = "standing"


@dataclass(frozen=True)
class StandingFilter:
    firm_id: int | None = None
    kind: StandingList | None = None
    in_force_on: date | None = None


@dataclass(frozen=True)
class SetFirmStanding:
    firm_id: int
    kind: StandingList
    reason: str
    starts_on: date
    ends_on: date | None = None
    evaluation_id: int | None = None


def in_force_on(day: date) -> sa.ColumnElement[bool]:
    """In force from starts_on up to, not including, ends_on."""
    return in_force_sql(col(FirmStanding.starts_on), col(FirmStanding.ends_on), day)


async def by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, FirmStanding]:
    return await visible_by_ids(ctx, FirmStanding, RESOURCE, ids)


async def in_force(
    ctx: RequestContext, firm_ids: Sequence[int], day: date
) -> dict[int, FirmStanding]:
    """The visible entry in force on DAY for each of FIRM_IDS (at most one: no overlaps)."""
    if not firm_ids:
        return {}
    rows: list[FirmStanding] = await read_whole(
        ctx.read,
        scoped(ctx, FirmStanding, RESOURCE).where(
            col(FirmStanding.firm_id).in_(set(firm_ids)), in_force_on(day)
        ),
    )
    return {row.firm_id: row for row in rows}


async def list_standings(
    ctx: RequestContext, filter: StandingFilter, window: Window
) -> Page[FirmStanding]:
    statement = scoped(ctx, FirmStanding, RESOURCE)
    if filter.firm_id is not None:
        statement = statement.where(col(FirmStanding.firm_id) == filter.firm_id)
    if filter.kind is not None:
        statement = statement.where(col(FirmStanding.kind) == filter.kind)
    if filter.in_force_on is not None:
        statement = statement.where(in_force_on(filter.in_force_on))
    return await keyset_page(
        ctx,
        statement,
        # Most recently set first: for one firm that is also the latest term first, since a
        # new entry must start after every earlier one.
        keys=[col(FirmStanding.id)],
        key_of=lambda s: (s.id,),
        window=window,
        descending=True,
    )


async def served_paths(session: AsyncSession, firm_id: int) -> list[str]:
    """Paths of the compounds the firm serves, has served or will serve."""
    rows = await session.execute(
        sa.select(col(Organisation.path))
        .join(OrganisationLink, col(OrganisationLink.target_id) == Organisation.id)
        .where(
            col(OrganisationLink.source_id) == firm_id,
            col(OrganisationLink.kind) == LinkKind.SERVES,
        )
    )
    return sorted(set(rows.scalars().all()))


async def _supersede(
    session: AsyncSession, firm_id: int, starts_on: date, record: AuditRecord
) -> None:
    """End the entry running on STARTS_ON; refuse if any entry starts on or after it."""
    entries = (
        (
            await session.execute(
                sa.select(FirmStanding)
                .where(col(FirmStanding.firm_id) == firm_id)
                .order_by(col(FirmStanding.starts_on))
            )
        )
        .scalars()
        .all()
    )
    for entry in entries:
        if entry.starts_on >= starts_on:
            raise Conflict(
                tr(
                    "The firm already has a {kind} list entry starting on {starts_on}; a new "
                    "entry must start after every earlier one.",
                    kind=coded(entry.kind),
                    starts_on=entry.starts_on,
                )
            )
        if entry.ends_on is None or entry.ends_on > starts_on:
            record.change(f"entry {entry.id} ends_on", entry.ends_on, starts_on)
            entry.ends_on = starts_on
            entry.version += 1
            entry.updated_at = utcnow()


async def _readable(ctx: RequestContext, session: AsyncSession, firm: Organisation) -> bool:
    found = await session.execute(
        scoped(ctx, Organisation, "organisation").where(col(Organisation.id) == firm.id)
    )
    return found.first() is not None


SET_FIRM_STANDING = Mutation(
    operation="setFirmStanding",
    resource=RESOURCE,
    action="set",
    what=tr("set the standing of this firm"),
    needs=" over the firm or a compound it serves (supervisors; admins)",
)


async def set_firm_standing(ctx: RequestContext, data: SetFirmStanding) -> FirmStanding:
    """Its own shape: the firm is found unscoped, since a grant over a compound it serves
    is enough to set its standing."""

    async def handler(session: AsyncSession, record: AuditRecord) -> FirmStanding:
        if await session.get(Organisation, data.firm_id) is None:
            raise NotFound(tr("No organisation with that id exists or you may not see it."))
        # Locked: two entries for one firm are set one after the other, never interleaved.
        firm = await locked(session, Organisation, data.firm_id, tr("organisation"))
        record.target(None, firm.id, firm.path)
        decision = SET_FIRM_STANDING.decision(ctx)
        facts = RowFacts(paths=(firm.path, *await served_paths(session, firm.id or 0)))
        if decision.grant_for(facts) is None and not await _readable(ctx, session, firm):
            # Out of the caller's sight altogether: say NOT_FOUND, as for a missing id.
            raise NotVisible(tr("No organisation with that id exists or you may not see it."))
        SET_FIRM_STANDING.authorize(ctx, record, facts)
        if firm.kind is not OrganisationKind.PROPERTY_FIRM:
            raise BadUserInput(tr("Only a property firm is put on the white or black list."))
        reason = clean_text(data.reason, tr("reason"), required=True) or ""
        if data.ends_on is not None and data.ends_on <= data.starts_on:
            raise BadUserInput(tr("The entry must end after it starts."))
        if data.evaluation_id is not None:
            evaluation = await visible_one(
                ctx, session, Evaluation, "evaluation", data.evaluation_id, tr("evaluation")
            )
            if evaluation.subject_id != firm.id:
                raise BadUserInput(tr("The evaluation given must be an evaluation of this firm."))
            if evaluation.status is not EvaluationStatus.CLOSED:
                raise BadUserInput(tr("The evaluation given must be closed, with its result."))
        await _supersede(session, firm.id or 0, data.starts_on, record)
        entry = FirmStanding(
            firm_id=firm.id or 0,
            kind=data.kind,
            reason=reason,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            evaluation_id=data.evaluation_id,
            set_by_id=ctx.actor.person_id,
        )
        session.add(entry)
        await session.flush()
        record.target(entry.id, firm.id, firm.path)
        for name in ("firm_id", "kind", "reason", "starts_on", "ends_on", "evaluation_id"):
            record.change(name, None, getattr(entry, name))
        return entry

    return await SET_FIRM_STANDING.run(ctx, data, handler)
