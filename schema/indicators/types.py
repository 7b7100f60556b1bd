"""Compound indicators (小區指標) as GraphQL types; definitions in resolvers/indicators.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Self

import strawberry

from db.models import StandingList
from resolvers.funds.money import as_yuan
from resolvers.indicators import queries as indicators
from resolvers.indicators.queries import PARTY_SHARE_TARGET, CompoundIndicators, ratio
from resolvers.mobilisation.stats import Turnout
from schema.context import Info
from schema.evaluations.standing_types import StandingListEnum  # noqa: F401 (registers the enum)
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType


@strawberry.type(
    description="The compound's governance on the day: the owners' committee's party share "
    "(target at least 50%), cross-appointment with the party branch, building party groups "
    "and party-member household heads."
)
class GovernanceIndicators:
    committee_members: int = strawberry.field(
        description="People holding COMMITTEE_CHAIR or COMMITTEE_MEMBER in the owners' committee."
    )
    committee_party_members: int = strawberry.field(
        description="Of them, party members (a count, never who)."
    )
    cross_appointed: int = strawberry.field(
        description="Committee members who also sit on the party branch committee (SECRETARY, "
        "DEPUTY_SECRETARY, BRANCH_COMMITTEE_MEMBER): 雙向進入、交叉任職."
    )
    building_party_groups: int = strawberry.field(description="PARTY_GROUP organisations.")
    party_household_heads: int = strawberry.field(
        description="Active PARTY_HOUSEHOLD_HEAD positions (黨員中心戶)."
    )

    @strawberry.field(description="Party members over committee members; null without members.")
    def committee_party_share(self) -> float | None:
        return ratio(self.committee_party_members, self.committee_members)

    @strawberry.field(description="The target party share of an owners' committee (0.5).")
    def party_share_target(self) -> float:
        return PARTY_SHARE_TARGET

    @strawberry.field(
        description="True when the party share is below the target, or there is no committee."
    )
    def below_party_share_target(self) -> bool:
        share = self.committee_party_share()
        return share is None or share < PARTY_SHARE_TARGET

    @strawberry.field(description="Cross-appointed over committee members; null without members.")
    def cross_appointment_ratio(self) -> float | None:
        return ratio(self.cross_appointed, self.committee_members)

    @classmethod
    def of(cls, governance: indicators.Governance) -> Self:
        return cls(**vars(governance))


@strawberry.type(
    description="The problem list over the period (1 January to the day): issues received and "
    "resolved in it, overdue on the day, median time to resolve, satisfaction."
)
class IssueIndicators:
    received: int = strawberry.field(description="Reported in the period.")
    resolved: int = strawberry.field(description="Resolved in the period.")
    overdue: int = strawberry.field(
        description="On the day: reported by then, due before its end, not resolved by then, "
        "neither rejected nor a duplicate."
    )
    satisfaction_count: int = strawberry.field(
        description="Issues closed in the period with the reporter's rating."
    )
    median_resolve_hours: float | None = strawberry.field(
        description="Median hours from report to resolution of the issues resolved in the "
        "period; null when none were."
    )
    satisfaction_average: float | None = strawberry.field(
        description="Mean rating (1–5) of the issues closed in the period; null without ratings."
    )

    @classmethod
    def of(cls, figures: indicators.IssueFigures, median_seconds: float | None) -> Self:
        average = (
            None
            if figures.satisfaction_count == 0
            else round(figures.satisfaction_sum / figures.satisfaction_count, 2)
        )
        return cls(
            received=figures.received,
            resolved=figures.resolved,
            overdue=figures.overdue,
            satisfaction_count=figures.satisfaction_count,
            median_resolve_hours=None
            if median_seconds is None
            else round(median_seconds / 3600, 2),
            satisfaction_average=average,
        )


@strawberry.type(description="The property firm serving the compound today, as you may see it.")
class FirmIndicators:
    overall_stars: float | None = strawberry.field(
        description="Overall weighted stars of its latest closed evaluation in the compound "
        "(null without one, or with too few scorers to show)."
    )
    evaluation_year: int | None = strawberry.field(description="The year of that evaluation.")
    standing: StandingList | None = strawberry.field(
        description="Its white or black list entry in force, if any."
    )
    _firm_id: strawberry.Private[int]

    @strawberry.field(description="The firm, if you may see it.")
    async def firm(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._firm_id)
        return OrganisationType.from_row(row) if row else None


@strawberry.type(description="Love-bank points of the period (愛心銀行).")
class PointsIndicators:
    earned: int = strawberry.field(description="Issued for confirmed volunteer service.")
    redeemed: int = strawberry.field(description="Spent on rewards at stations.")


@strawberry.type(description="Co-building projects of the year (共建項目).")
class CoBuildingIndicators:
    committed: int = strawberry.field(description="Committed by partner units (not cancelled).")
    completed: int = strawberry.field(description="Completed.")


@strawberry.type(description="Public disclosure of the period (兩公開).")
class DisclosureIndicators:
    published: int = strawberry.field(
        description="Notices whose publication began in the period (withdrawn ones included)."
    )
    finances: int = strawberry.field(description="Of them, accounts (FINANCES).")


@strawberry.type(description="Funds of the period (經費與公共收益), in yuan exact to the fen.")
class FundIndicators:
    granted: Decimal = strawberry.field(
        description="Granted to the party branch by the street (start-up and running funds)."
    )
    revenue: Decimal = strawberry.field(
        description="Public revenue received (advertising, parking, venue rental, other)."
    )
    distributed: Decimal = strawberry.field(description="Public revenue paid out.")
    spent: Decimal = strawberry.field(
        description="Spent by the compound's party branch out of its funds; for a compound "
        "served by a joint branch, the joint branch's spending (see fromJointBranch)."
    )
    from_joint_branch: bool = strawberry.field(
        default=False,
        description="Whether `granted` and `spent` are those of the joint branch (聯合黨支部) "
        "serving the compound, from its ledger at the grid: the same figures on every compound "
        "it serves (the money is shared, not divided), counted once in a subtree's sums. False "
        "for a compound's own branch, and when you may not read the joint branch's ledger.",
    )


@strawberry.type(
    description="Mobilisation of the period (一聲令下): the people called on in the compound by "
    "calls sent in it, who acknowledged and who reported back, and how fast. Aggregates, never "
    "who."
)
class MobilisationIndicators:
    targeted: int = strawberry.field(description="People called on (one per call and person).")
    acknowledged: int = strawberry.field(description="Of them, those who acknowledged.")
    reported: int = strawberry.field(description="Of them, those who reported back.")
    turnout_rate: float | None = strawberry.field(
        description="Acknowledged over targeted; null when nobody was called on."
    )
    report_rate: float | None = strawberry.field(
        description="Reported over targeted; null when nobody was called on."
    )
    average_response_minutes: float | None = strawberry.field(
        description="Mean minutes from sending to acknowledgement; null without any."
    )
    median_response_minutes: float | None = strawberry.field(
        description="Median minutes from sending to acknowledgement (over all the people "
        "counted, for a subtree); null without any."
    )
    closed: int = strawberry.field(
        description="Of the people called on, those called by calls now CLOSED: by their "
        "sender, or at their deadline (respondBy) by `jinlin worker`. Their answers are final."
    )
    missed: int = strawberry.field(
        description="Of those, the people who never reported back before the call closed."
    )

    @classmethod
    def of(cls, turnout: Turnout, median_seconds: float | None) -> Self:
        n, a = turnout.targeted, turnout.acknowledged
        return cls(
            targeted=n,
            acknowledged=a,
            reported=turnout.reported,
            turnout_rate=ratio(a, n),
            report_rate=ratio(turnout.reported, n),
            average_response_minutes=None
            if a == 0
            else round(turnout.response_seconds_sum / a / 60, 1),
            median_response_minutes=None
            if median_seconds is None
            else round(median_seconds / 60, 1),
            closed=turnout.closed,
            missed=turnout.missed,
        )


def _funds(row: CompoundIndicators) -> FundIndicators | None:
    if row.funds is None:
        return None
    return FundIndicators(
        granted=as_yuan(row.funds.shown_granted()),
        revenue=as_yuan(row.funds.revenue),
        distributed=as_yuan(row.funds.distributed),
        spent=as_yuan(row.funds.shown_spent()),
        from_joint_branch=row.funds.joint is not None,
    )


def _notices(row: CompoundIndicators) -> DisclosureIndicators | None:
    if row.notices is None:
        return None
    return DisclosureIndicators(published=row.notices.published, finances=row.notices.finances)


def _points(row: CompoundIndicators) -> PointsIndicators | None:
    if row.points is None:
        return None
    return PointsIndicators(earned=row.points.earned, redeemed=row.points.redeemed)


def _projects(row: CompoundIndicators) -> CoBuildingIndicators | None:
    if row.projects is None:
        return None
    return CoBuildingIndicators(committed=row.projects.committed, completed=row.projects.completed)


@strawberry.type(
    name="CompoundIndicators",
    description="One compound's indicators on a day (permission indicators:read). Figures "
    "from data with its own permission (points, projects, notices, the firm) are null when you "
    "may see none of it.",
)
class CompoundIndicatorsType:
    date: dt.date = strawberry.field(description="The day the indicators are taken on.")
    period_start: dt.date = strawberry.field(description="1 January of that year.")
    governance: GovernanceIndicators = strawberry.field(description="Organisation and people.")
    issues: IssueIndicators = strawberry.field(description="The problem list.")
    firm: FirmIndicators | None = strawberry.field(
        description="The serving firm's rating and standing; null when no firm serves it today."
    )
    love_points: PointsIndicators | None = strawberry.field(description="Love-bank points.")
    co_building: CoBuildingIndicators | None = strawberry.field(description="Partner projects.")
    disclosure: DisclosureIndicators | None = strawberry.field(
        description="Notices published, as far as you may see them (a resident: those shown on "
        "the day)."
    )
    funds: FundIndicators | None = strawberry.field(
        description="Money granted, received and distributed; null unless you may read the "
        "compound's funds (fund:read)."
    )
    mobilisation: MobilisationIndicators = strawberry.field(
        description="Calls to action (一聲令下) sent in the period and their answers."
    )
    _compound_id: strawberry.Private[int]

    @classmethod
    def from_row(cls, row: CompoundIndicators) -> Self:
        firm = row.firm
        return cls(
            date=row.period.on,
            period_start=dt.date(row.period.on.year, 1, 1),
            governance=GovernanceIndicators.of(row.governance),
            issues=IssueIndicators.of(row.issues, row.issues.median_resolve_seconds),
            firm=None
            if firm is None
            else FirmIndicators(
                overall_stars=firm.overall_stars,
                evaluation_year=firm.year,
                standing=firm.standing,
                _firm_id=firm.firm_id,
            ),
            love_points=_points(row),
            co_building=_projects(row),
            disclosure=_notices(row),
            funds=_funds(row),
            mobilisation=MobilisationIndicators.of(
                row.mobilisation, row.mobilisation.median_response_seconds
            ),
            _compound_id=row.compound_id,
        )

    @strawberry.field(description="The compound.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._compound_id)
        return OrganisationType.from_row(row) if row else None


@strawberry.type(
    name="SubtreeIndicators",
    description="The compounds under an organisation whose indicators you may read, each one's "
    "indicators, and their totals — computed with a fixed number of SQL statements however many "
    "compounds there are.",
)
class SubtreeIndicatorsType:
    date: dt.date = strawberry.field(description="The day the indicators are taken on.")
    compound_count: int = strawberry.field(description="How many compounds are counted.")
    compounds: Sequence[CompoundIndicatorsType] = strawberry.field(
        description="Each compound's indicators, by compound id."
    )
    governance: GovernanceIndicators = strawberry.field(description="Sums over the compounds.")
    issues: IssueIndicators = strawberry.field(
        description="Sums over the compounds; the median is taken over all their issues."
    )
    love_points: PointsIndicators | None = strawberry.field(
        description="Sums over the compounds whose points you may see."
    )
    co_building: CoBuildingIndicators | None = strawberry.field(
        description="Sums over the compounds whose projects you may see."
    )
    disclosure: DisclosureIndicators | None = strawberry.field(
        description="Sums over the notices you may see."
    )
    funds: FundIndicators | None = strawberry.field(
        description="Sums over the compounds whose funds you may read."
    )
    mobilisation: MobilisationIndicators = strawberry.field(
        description="Sums over the compounds; the median is taken over all their people called on."
    )
    _organisation_id: strawberry.Private[int]

    @classmethod
    def from_result(cls, result: indicators.SubtreeIndicators) -> Self:
        total = indicators.totals(result.compounds)
        return cls(
            date=result.period.on,
            compound_count=len(result.compounds),
            compounds=[cls._compound(row) for row in result.compounds],
            governance=GovernanceIndicators.of(total.governance),
            issues=IssueIndicators.of(total.issues, result.median_resolve_seconds),
            love_points=_points(total),
            co_building=_projects(total),
            disclosure=_notices(total),
            funds=_funds(total),
            mobilisation=MobilisationIndicators.of(
                total.mobilisation, result.median_response_seconds
            ),
            _organisation_id=result.organisation_id,
        )

    @classmethod
    def _compound(cls, row: CompoundIndicators) -> CompoundIndicatorsType:
        return CompoundIndicatorsType.from_row(row)

    @strawberry.field(description="The organisation whose subtree is counted.")
    async def organisation(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._organisation_id)
        return OrganisationType.from_row(row) if row else None


# The old names (public types no longer end in "Type"): the same fields, answered by the
# deprecated compoundIndicators and subtreeIndicators until a released schema drops them.
@strawberry.type(
    name="CompoundIndicatorsType",
    description="The old name of CompoundIndicators (the same fields), kept for the deprecated "
    "compoundIndicators field.",
)
class LegacyCompoundIndicatorsType(CompoundIndicatorsType):
    pass


@strawberry.type(
    name="SubtreeIndicatorsType",
    description="The old name of SubtreeIndicators (the same fields), kept for the deprecated "
    "subtreeIndicators field.",
)
class LegacySubtreeIndicatorsType(SubtreeIndicatorsType):
    compounds: Sequence[LegacyCompoundIndicatorsType] = strawberry.field(
        description="Each compound's indicators, by compound id."
    )

    @classmethod
    def _compound(cls, row: CompoundIndicators) -> LegacyCompoundIndicatorsType:
        return LegacyCompoundIndicatorsType.from_row(row)
