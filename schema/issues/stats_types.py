"""Problem-list statistics."""

from __future__ import annotations

from typing import Self

import strawberry

from db.models import IssueCategory, IssueStatus
from resolvers.issues.stats import IssueStats


@strawberry.type(description="How many issues have one status.")
class StatusCount:
    status: IssueStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many issues have it.")


@strawberry.type(description="How many issues are in one category.")
class CategoryCount:
    category: IssueCategory = strawberry.field(description="The category.")
    count: int = strawberry.field(description="How many issues are in it.")


@strawberry.type(
    name="IssueStats",
    description="Problem-list figures for a part of the tree and period, over the issues you may "
    "see, computed in the database.",
)
class IssueStatsType:
    total: int = strawberry.field(description="Issues reported in the period.")
    by_status: list[StatusCount] = strawberry.field(description="Counts per status.")
    by_category: list[CategoryCount] = strawberry.field(description="Counts per category.")
    overdue_count: int = strawberry.field(description="Open issues past their due time now.")
    median_time_to_claim_seconds: float | None = strawberry.field(
        description="Median seconds from report to first claim, over claimed issues."
    )
    median_time_to_resolve_seconds: float | None = strawberry.field(
        description="Median seconds from report to resolution, over resolved issues."
    )
    satisfaction_average: float | None = strawberry.field(
        description="Mean rating (1–5) given by reporters on closing."
    )
    satisfaction_count: int = strawberry.field(description="How many ratings the mean is over.")

    @classmethod
    def from_stats(cls, stats: IssueStats) -> Self:
        return cls(
            total=stats.total,
            by_status=[StatusCount(status=s, count=c) for s, c in sorted(stats.by_status.items())],
            by_category=[
                CategoryCount(category=k, count=c) for k, c in sorted(stats.by_category.items())
            ],
            overdue_count=stats.overdue,
            median_time_to_claim_seconds=stats.median_claim_seconds,
            median_time_to_resolve_seconds=stats.median_resolve_seconds,
            satisfaction_average=stats.satisfaction_average,
            satisfaction_count=stats.satisfaction_count,
        )


@strawberry.type(
    name="IssueStatsType",
    description="The old name of IssueStats (the same fields), kept for the deprecated "
    "issueStats field until a released schema drops it.",
)
class LegacyIssueStatsType(IssueStatsType):
    pass
