"""The latest star rating and standing of each compound's firm: right, scoped, and one SQL
statement however many compounds are asked about."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from db import clock
from db.models import (
    Evaluation,
    EvaluationStatus,
    LinkKind,
    Organisation,
    OrganisationKind,
    OrganisationLink,
)
from db.paths import child_path
from resolvers.evaluations.firm_ratings import latest_firm_ratings
from tests.evaluation_helpers import demo_evaluation, new_firm
from tests.helpers import Api, StatementCounter
from tests.issue_helpers import COMMITTEE_A, COMMUNITY, FIRM_A, FIRM_B, org_id

COMPOUNDS = 200


def last_year() -> int:
    return clock.today().year - 1


async def test_the_demo_compounds(api: Api) -> None:
    ctx = await api.context("supervisor")
    try:
        ratings = await latest_firm_ratings(ctx, [api.compound("a"), api.compound("b")])
    finally:
        await ctx.close()
    a, b = ratings[api.compound("a")], ratings[api.compound("b")]
    last_a = await demo_evaluation(api, status="CLOSED")
    assert (a.firm_id, a.year, a.standing) == (
        await org_id(api, FIRM_A),
        last_year(),
        "WHITE",
    )
    assert a.overall_stars == last_a["result"]["overallStars"]
    assert a.scorer_count == last_a["result"]["scorerCount"]
    # 上東小區's firm has no standing; the firm it replaced (black-listed) no longer serves it.
    assert (b.firm_id, b.year, b.standing) == (
        await org_id(api, FIRM_B),
        last_year(),
        None,
    )
    assert b.overall_stars is not None


async def test_what_the_caller_may_not_read_is_absent(api: Api) -> None:
    ctx = await api.context("resident_b")
    try:
        ratings = await latest_firm_ratings(ctx, [api.compound("a"), api.compound("b")])
    finally:
        await ctx.close()
    assert set(ratings) == {api.compound("b")}


async def _compounds(api: Api, count: int) -> list[int]:
    """COUNT new compounds in the community, alternately served by the two demo firms, with
    closed evaluations of their firm over two years (and one of a committee, ignored)."""
    community_id = await org_id(api, COMMUNITY)
    firms = [await org_id(api, FIRM_A), await org_id(api, FIRM_B)]
    committee = await org_id(api, COMMITTEE_A)
    opens = datetime(last_year(), 12, 1, tzinfo=UTC)
    async with api.db.write() as session:
        community = await session.get(Organisation, community_id)
        assert community is not None
        compounds = [
            Organisation(
                name=f"測試小區{n:03d}",
                kind=OrganisationKind.COMPOUND,
                parent_id=community.id,
                path=f"/pending-{n}/",  # unique; the real path needs the id
                depth=community.depth + 1,
            )
            for n in range(count)
        ]
        session.add_all(compounds)
        await session.flush()
        for n, compound in enumerate(compounds):
            compound.path = child_path(community.path, compound.id or 0)
            compound.compound_id = compound.id
            firm = firms[n % 2]
            session.add(
                OrganisationLink(
                    kind=LinkKind.SERVES,
                    source_id=firm,
                    target_id=compound.id or 0,
                    start_date=date(2024, 1, 1),
                )
            )
            # The year before last (n + 1 scorers) and last year (n + 3 scorers): the latter
            # is the latest. Every other compound also has its committee evaluated.
            for year, scorers in (
                (last_year() - 1, n + 1),
                (last_year(), n + 3),
            ):
                session.add(_closed(compound.id or 0, firm, year, scorers, opens))
            if n % 2:
                session.add(_closed(compound.id or 0, committee, last_year(), 50, opens))
        await session.flush()
        return [c.id or 0 for c in compounds]


def _closed(compound: int, subject: int, year: int, scorers: int, opens: datetime) -> Evaluation:
    return Evaluation(
        compound_id=compound,
        subject_id=subject,
        year=year,
        status=EvaluationStatus.CLOSED,
        opens_at=opens,
        closes_at=opens + timedelta(days=20),
        closed_at=opens + timedelta(days=20),
        scorer_count=scorers,
        eligible_count=100,
        # Every scorer gave 4 stars throughout: 400 weighted stars each.
        weighted_star_sum=400 * scorers,
    )


async def test_two_hundred_compounds_in_one_statement(
    api: Api, statements: StatementCounter
) -> None:
    ids = await _compounds(api, COMPOUNDS)
    # One compound changes firm: a new contract from yesterday, overlapping the old one.
    newcomer = await new_firm(api, compound="a")
    async with api.db.write() as session:
        session.add(
            OrganisationLink(
                kind=LinkKind.SERVES,
                source_id=newcomer,
                target_id=ids[0],
                start_date=clock.today() - timedelta(days=1),
            )
        )
    ctx = await api.context("supervisor")
    try:
        statements.reset()
        ratings = await latest_firm_ratings(ctx, ids)
        assert statements.count == 1, statements.sql
    finally:
        await ctx.close()
    assert set(ratings) == set(ids)
    # The newcomer has no evaluation yet.
    first = ratings[ids[0]]
    assert (first.firm_id, first.evaluation_id, first.overall_stars) == (newcomer, None, None)
    firm_a, firm_b = await org_id(api, FIRM_A), await org_id(api, FIRM_B)
    for n, compound in enumerate(ids[1:], start=1):
        rating = ratings[compound]
        assert rating.firm_id == (firm_a, firm_b)[n % 2]
        assert (rating.year, rating.scorer_count, rating.overall_stars) == (
            last_year(),
            n + 3,
            4.0,
        )
        assert rating.standing == ("WHITE" if rating.firm_id == firm_a else None)
    stored = await api.scalar(
        sa.select(sa.func.count()).where(Evaluation.compound_id.in_(ids))  # type: ignore[attr-defined]
    )
    assert stored == COMPOUNDS * 2 + COMPOUNDS // 2
