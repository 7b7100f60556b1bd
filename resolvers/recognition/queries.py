"""Reads of mentoring pairs and commendations, scoped in SQL (mentoring:read,
commendation:read), newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col

from db.models import Commendation, CommendationKind, MentorPair
from resolvers.common import read_branches, visible_by_ids
from resolvers.context import RequestContext
from resolvers.pagination import Page, Window, keyset_page
from resolvers.recognition.mentoring import in_force

MENTORING = "mentoring"
COMMENDATION = "commendation"


@dataclass(frozen=True)
class PairFilter:
    compound_id: int | None = None
    mentor_id: int | None = None
    mentee_id: int | None = None
    active_on: date | None = None  # only pairings running that day


@dataclass(frozen=True)
class CommendationFilter:
    compound_id: int | None = None
    person_id: int | None = None
    organisation_id: int | None = None
    year: int | None = None
    kind: CommendationKind | None = None
    include_withdrawn: bool = False


async def pairs_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, MentorPair]:
    return await visible_by_ids(ctx, MentorPair, MENTORING, ids)


async def commendations_by_ids(ctx: RequestContext, ids: list[int]) -> dict[int, Commendation]:
    return await visible_by_ids(ctx, Commendation, COMMENDATION, ids)


async def list_pairs(ctx: RequestContext, filter: PairFilter, window: Window) -> Page[MentorPair]:
    statement = sa.select(MentorPair)
    if filter.compound_id is not None:
        statement = statement.where(col(MentorPair.compound_id) == filter.compound_id)
    if filter.mentor_id is not None:
        statement = statement.where(col(MentorPair.mentor_id) == filter.mentor_id)
    if filter.mentee_id is not None:
        statement = statement.where(col(MentorPair.mentee_id) == filter.mentee_id)
    if filter.active_on is not None:
        statement = statement.where(in_force(filter.active_on))
    return await keyset_page(
        ctx,
        statement,
        keys=[col(MentorPair.id)],
        key_of=lambda pair: (pair.id,),
        window=window,
        descending=True,
        branches=await read_branches(ctx, MENTORING),
    )


async def list_commendations(
    ctx: RequestContext, filter: CommendationFilter, window: Window
) -> Page[Commendation]:
    statement = sa.select(Commendation)
    if filter.compound_id is not None:
        statement = statement.where(col(Commendation.compound_id) == filter.compound_id)
    if filter.person_id is not None:
        statement = statement.where(col(Commendation.person_id) == filter.person_id)
    if filter.organisation_id is not None:
        statement = statement.where(col(Commendation.organisation_id) == filter.organisation_id)
    if filter.year is not None:
        statement = statement.where(col(Commendation.year) == filter.year)
    if filter.kind is not None:
        statement = statement.where(col(Commendation.kind) == filter.kind)
    if not filter.include_withdrawn:
        statement = statement.where(col(Commendation.withdrawn_at).is_(None))
    return await keyset_page(
        ctx,
        statement,
        keys=[col(Commendation.id)],
        key_of=lambda row: (row.id,),
        window=window,
        descending=True,
        branches=await read_branches(ctx, COMMENDATION),
    )
