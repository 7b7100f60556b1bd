"""Compound indicators (小區指標): one compound, or every compound of a subtree, in SQL.

Every figure is grouped by compound in SQL, so a street or a district costs the
same few statements as one compound. The caller sees indicators of the compounds
they hold indicators:read over; figures drawn from data with its own read
permission (love-bank points, co-building projects, the firm's rating) are those
the caller may see, and null when they may see none of it.

Definitions (all "as of" the day ON, in China time):
- period: the calendar year of ON, from 1 January up to the end of ON;
- owners' committee: people holding COMMITTEE_CHAIR or COMMITTEE_MEMBER in the
  compound's owners' committee on ON; its party share is the party members among
  them over all of them, flagged below the 50% target;
- cross-appointed: those committee members who also hold SECRETARY,
  DEPUTY_SECRETARY or BRANCH_COMMITTEE_MEMBER in the compound's party branch (雙向進入、
  交叉任職); the ratio is over the committee members;
- building party groups: PARTY_GROUP organisations in the compound; party-member
  household heads: active PARTY_HOUSEHOLD_HEAD positions;
- issues received in the period, resolved in the period (resolved_at), overdue on
  ON (received by ON, due before its end, not resolved by then, not rejected or a
  duplicate), median time to resolve of the issues resolved in the period, and
  the satisfaction average of those closed in the period;
- love-bank points earned and redeemed in the period; co-building projects of
  the year committed (not cancelled) and completed;
- notices published (兩公開): those whose publication period began in the period, withdrawn
  ones included, and of them the accounts (FINANCES), over the notices the caller may see
  (a resident sees those shown on the day; the bodies and supervisors all);
- funds (經費與公共收益): money the street granted the branch and the branch spent, public
  revenue received and distributed in the period (by the day each moved, net of reversals),
  in fen, for those who may read the compound's funds (fund:read); a compound served by a
  joint branch shows that branch's grants and spending, labelled (resolvers/funds/totals.py);
- mobilisation (一聲令下): the people called on in the compound by calls sent in the period,
  those who acknowledged and reported back, their response times, and those called by calls
  now closed (by the sender or at the deadline) with how many of them never reported
  (resolvers/mobilisation/stats.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col

from db import clock
from db.models import (
    Issue,
    IssueStatus,
    Organisation,
    OrganisationKind,
    PartyMembership,
    Person,
    Position,
    PositionTitle,
)
from db.paths import any_subtree_clause
from db.periods import in_force_sql
from db.types import CHINA_TIME
from policies.grants import active_on
from resolvers.co_building.queries import ProjectCounts, project_counts
from resolvers.context import RequestContext
from resolvers.disclosure.queries import NoticeCounts, notices_published
from resolvers.errors import BadUserInput
from resolvers.evaluations.firm_ratings import FirmRating, latest_firm_ratings
from resolvers.funds.totals import FundTotals, summed, totals_by_compound
from resolvers.i18n import tr
from resolvers.issues.stats import median_of
from resolvers.love_bank.points import CompoundPoints, points_by_compound
from resolvers.mobilisation.stats import Turnout, subtree_median, turnout_by_compound
from resolvers.organisations.branches import branches_serving

RESOURCE = "indicators"
PARTY_SHARE_TARGET = 0.5
COMMITTEE_TITLES = (PositionTitle.COMMITTEE_CHAIR, PositionTitle.COMMITTEE_MEMBER)
BRANCH_TITLES = (
    PositionTitle.SECRETARY,
    PositionTitle.DEPUTY_SECRETARY,
    PositionTitle.BRANCH_COMMITTEE_MEMBER,
)
NEVER_DUE = (IssueStatus.REJECTED, IssueStatus.DUPLICATE)


@dataclass(frozen=True)
class Period:
    on: date
    start: datetime  # 1 January of ON's year, 00:00 China time
    end: datetime  # the end of ON (the next day, 00:00 China time)

    @classmethod
    def of(cls, on: date) -> Period:
        if on >= date.max:
            raise BadUserInput(tr("Give a day before the end of the calendar."))
        start = datetime.combine(date(on.year, 1, 1), time(0), CHINA_TIME)
        end = datetime.combine(on + timedelta(days=1), time(0), CHINA_TIME)
        return cls(on=on, start=start, end=end)


@dataclass
class Governance:
    committee_members: int = 0
    committee_party_members: int = 0
    cross_appointed: int = 0
    party_household_heads: int = 0
    building_party_groups: int = 0


@dataclass
class IssueFigures:
    received: int = 0
    resolved: int = 0
    overdue: int = 0
    median_resolve_seconds: float | None = None
    satisfaction_sum: int = 0
    satisfaction_count: int = 0


@dataclass
class CompoundIndicators:
    compound_id: int
    period: Period
    governance: Governance = field(default_factory=Governance)
    issues: IssueFigures = field(default_factory=IssueFigures)
    firm: FirmRating | None = None
    points: CompoundPoints | None = None
    projects: ProjectCounts | None = None
    notices: NoticeCounts | None = None
    funds: FundTotals | None = None
    mobilisation: Turnout = field(default_factory=Turnout)


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def visible_compounds(ctx: RequestContext, under: str) -> sa.Select[Any]:
    """Ids of the compounds under the path UNDER whose indicators the caller may read."""
    return sa.select(col(Organisation.id)).where(
        col(Organisation.kind) == OrganisationKind.COMPOUND,
        any_subtree_clause(col(Organisation.path), [under]),
        ctx.auth.decide(RESOURCE, "read").where(),
    )


async def _governance(
    ctx: RequestContext, compounds: sa.Select[Any], on: date, into: dict[int, Any]
) -> None:
    member = aliased(Position)
    branch_org = aliased(Organisation)
    in_branch = (
        sa.select(sa.literal(1))
        .select_from(member)
        .join(branch_org, col(branch_org.id) == member.organisation_id)
        .where(
            col(member.person_id) == col(Position.person_id),
            # The branch serving the compound: its own, or its grid's joint branch.
            col(branch_org.id).in_(branches_serving(col(Organisation.compound_id))),
            col(member.title).in_(BRANCH_TITLES),
            in_force_sql(col(member.start_date), col(member.end_date), on),
        )
        .exists()
    )
    on_committee = sa.and_(
        col(Organisation.kind) == OrganisationKind.OWNERS_COMMITTEE,
        col(Position.title).in_(COMMITTEE_TITLES),
    )
    party = col(Person.party_membership) == PartyMembership.MEMBER
    person = col(Position.person_id)
    rows: Any = await ctx.read(
        sa.select(
            col(Organisation.compound_id),
            sa.func.count(sa.distinct(sa.case((on_committee, person)))),
            sa.func.count(sa.distinct(sa.case((sa.and_(on_committee, party), person)))),
            sa.func.count(sa.distinct(sa.case((sa.and_(on_committee, in_branch), person)))),
            sa.func.count(sa.case((col(Position.title) == PositionTitle.PARTY_HOUSEHOLD_HEAD, 1))),
        )
        .join(Organisation, col(Organisation.id) == Position.organisation_id)
        .join(Person, col(Person.id) == Position.person_id)
        .where(col(Organisation.compound_id).in_(compounds), active_on(on))
        .group_by(col(Organisation.compound_id))
    )
    for compound_id, members, party_members, crossed, heads in rows.all():
        governance = into[int(compound_id)].governance
        governance.committee_members = int(members)
        governance.committee_party_members = int(party_members)
        governance.cross_appointed = int(crossed)
        governance.party_household_heads = int(heads)
    groups: Any = await ctx.read(
        sa.select(col(Organisation.compound_id), sa.func.count())
        .where(
            col(Organisation.compound_id).in_(compounds),
            col(Organisation.kind) == OrganisationKind.PARTY_GROUP,
        )
        .group_by(col(Organisation.compound_id))
    )
    for compound_id, count in groups.all():
        into[int(compound_id)].governance.building_party_groups = int(count)


def _issue_conditions(period: Period) -> dict[str, sa.ColumnElement[bool]]:
    issue_created = col(Issue.created_at)
    resolved_at = col(Issue.resolved_at)
    return {
        "received": sa.and_(issue_created >= period.start, issue_created < period.end),
        "resolved": sa.and_(resolved_at >= period.start, resolved_at < period.end),
        "overdue": sa.and_(
            issue_created < period.end,
            col(Issue.due_at) < period.end,
            sa.or_(resolved_at.is_(None), resolved_at >= period.end),
            col(Issue.status).not_in(NEVER_DUE),
        ),
        "closed": sa.and_(
            col(Issue.closed_at) >= period.start,
            col(Issue.closed_at) < period.end,
            col(Issue.satisfaction).is_not(None),
        ),
    }


async def _issues(
    ctx: RequestContext, compounds: sa.Select[Any], period: Period, into: dict[int, Any]
) -> None:
    when = _issue_conditions(period)
    rows: Any = await ctx.read(
        sa.select(
            col(Issue.compound_id),
            sa.func.count(sa.case((when["received"], 1))),
            sa.func.count(sa.case((when["resolved"], 1))),
            sa.func.count(sa.case((when["overdue"], 1))),
            sa.func.coalesce(sa.func.sum(sa.case((when["closed"], col(Issue.satisfaction)))), 0),
            sa.func.count(sa.case((when["closed"], 1))),
        )
        .where(col(Issue.compound_id).in_(compounds))
        .group_by(col(Issue.compound_id))
    )
    for compound_id, received, resolved, overdue, rating_sum, ratings in rows.all():
        figures = into[int(compound_id)].issues
        figures.received, figures.resolved, figures.overdue = (
            int(received),
            int(resolved),
            int(overdue),
        )
        figures.satisfaction_sum, figures.satisfaction_count = int(rating_sum), int(ratings)
    medians: Any = await ctx.read(resolve_medians(compounds, period, by_compound=True))
    for compound_id, median in medians.all():
        into[int(compound_id)].issues.median_resolve_seconds = float(median)


def resolve_medians(
    compounds: sa.Select[Any], period: Period, *, by_compound: bool
) -> sa.Select[Any]:
    """Median seconds to resolve of the issues resolved in PERIOD: per compound, or over all
    of COMPOUNDS together."""
    return median_of(
        col(Issue.resolve_seconds),
        col(Issue.compound_id).in_(compounds),
        _issue_conditions(period)["resolved"],
        group=col(Issue.compound_id) if by_compound else None,
    )


async def indicators_for(
    ctx: RequestContext, compounds: sa.Select[Any], on: date
) -> list[CompoundIndicators]:
    """Indicators of every compound COMPOUNDS selects, in a constant number of statements."""
    period = Period.of(on)
    ids = sorted(int(i) for i in (await ctx.read(compounds)).scalars().all())
    if not ids:
        return []
    found: dict[int, CompoundIndicators] = {i: CompoundIndicators(i, period) for i in ids}
    chosen = sa.select(col(Organisation.id)).where(col(Organisation.id).in_(ids))
    await _governance(ctx, chosen, on, found)
    await _issues(ctx, chosen, period, found)
    ratings = await latest_firm_ratings(ctx, ids)
    points = await points_by_compound(ctx, ids, date(on.year, 1, 1), on)
    projects = await project_counts(ctx, ids, on.year)
    notices = await notices_published(ctx, ids, date(on.year, 1, 1), on)
    funds = await totals_by_compound(ctx, ids, date(on.year, 1, 1), on)
    turnout = await turnout_by_compound(ctx, ids, period.start, period.end)
    for compound_id, indicators in found.items():
        indicators.firm = ratings.get(compound_id)
        indicators.points = points.get(compound_id)
        indicators.projects = projects.get(compound_id)
        indicators.notices = None if notices is None else notices.get(compound_id)
        indicators.funds = None if funds is None else funds.get(compound_id)
        indicators.mobilisation = turnout.get(compound_id, Turnout())
    return [found[i] for i in ids]


async def compound_path(ctx: RequestContext, organisation_id: int) -> tuple[str, OrganisationKind]:
    row: Any = (
        await ctx.read(
            sa.select(col(Organisation.path), col(Organisation.kind)).where(
                col(Organisation.id) == organisation_id
            )
        )
    ).first()
    if row is None:
        raise BadUserInput(tr("No organisation has that id."))
    return str(row[0]), OrganisationKind(row[1])


async def compound_indicators(
    ctx: RequestContext, compound_id: int, on: date | None
) -> CompoundIndicators | None:
    """One compound's indicators; None when the caller may not read them."""
    path, kind = await compound_path(ctx, compound_id)
    if kind is not OrganisationKind.COMPOUND:
        raise BadUserInput(tr("Indicators are kept per compound; name a COMPOUND."))
    found = await indicators_for(
        ctx,
        visible_compounds(ctx, path).where(col(Organisation.id) == compound_id),
        on or ctx.today,
    )
    return found[0] if found else None


@dataclass(frozen=True)
class SubtreeIndicators:
    organisation_id: int
    period: Period
    compounds: list[CompoundIndicators]
    median_resolve_seconds: float | None
    median_response_seconds: float | None = None


async def subtree_indicators(
    ctx: RequestContext, organisation_id: int, on: date | None
) -> SubtreeIndicators:
    """Every compound under the organisation whose indicators the caller may read, and the
    subtree's median time to resolve (not a mean of medians)."""
    path, _ = await compound_path(ctx, organisation_id)
    day = on or ctx.today
    compounds = visible_compounds(ctx, path)
    rows = await indicators_for(ctx, compounds, day)
    median = response = None
    if rows:
        chosen = sa.select(col(Organisation.id)).where(
            col(Organisation.id).in_([row.compound_id for row in rows])
        )
        value = (
            await ctx.read(resolve_medians(chosen, Period.of(day), by_compound=False))
        ).scalar()
        median = None if value is None else float(value)
        period = Period.of(day)
        ids = [row.compound_id for row in rows]
        response = await subtree_median(ctx, ids, period.start, period.end)
    return SubtreeIndicators(organisation_id, Period.of(day), rows, median, response)


def totals(rows: Sequence[CompoundIndicators]) -> CompoundIndicators:
    """The subtree's sums (medians and ratings do not add up; they are left out)."""
    total = CompoundIndicators(0, rows[0].period if rows else Period.of(clock.today()))
    for row in rows:
        for name in vars(total.governance):
            setattr(
                total.governance,
                name,
                getattr(total.governance, name) + getattr(row.governance, name),
            )
        for name in ("received", "resolved", "overdue", "satisfaction_sum", "satisfaction_count"):
            setattr(total.issues, name, getattr(total.issues, name) + getattr(row.issues, name))
        if row.points is not None:
            before = total.points or CompoundPoints(0, 0)
            total.points = CompoundPoints(
                before.earned + row.points.earned, before.redeemed + row.points.redeemed
            )
        if row.projects is not None:
            before_projects = total.projects or ProjectCounts()
            total.projects = ProjectCounts(
                before_projects.committed + row.projects.committed,
                before_projects.completed + row.projects.completed,
            )
        if row.notices is not None:
            before_notices = total.notices or NoticeCounts()
            total.notices = NoticeCounts(
                before_notices.published + row.notices.published,
                before_notices.finances + row.notices.finances,
            )
        m = row.mobilisation
        t = total.mobilisation
        total.mobilisation = Turnout(
            targeted=t.targeted + m.targeted,
            acknowledged=t.acknowledged + m.acknowledged,
            reported=t.reported + m.reported,
            response_seconds_sum=t.response_seconds_sum + m.response_seconds_sum,
            closed=t.closed + m.closed,
            missed=t.missed + m.missed,
        )
    funds = [row.funds for row in rows if row.funds is not None]
    if funds:  # a joint branch's ledger shown on each compound it serves counts once
        total.funds = summed(funds)
    return total
