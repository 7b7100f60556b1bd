"""Queries on the resident problem list and joint meetings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

import strawberry

from resolvers.issues import meetings
from resolvers.issues import queries as issues
from resolvers.issues import stats as issue_stats
from resolvers.issues.queries import IssueOrder
from resolvers.pagination import Window
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.ready import prefetch
from schema.compiled.connection import answer as compiled_connection
from schema.compiled.connection import connection_selection
from schema.context import Info
from schema.ids import decode_id, decode_optional
from schema.issues.compiled import ISSUE as ISSUE_SPEC
from schema.issues.compiled import JOINT_MEETING
from schema.issues.inputs import IssueFilter
from schema.issues.meeting_types import JointMeetingType
from schema.issues.prefetch import ISSUE_RELATIONS
from schema.issues.stats_types import IssueStatsType, LegacyIssueStatsType
from schema.issues.types import IssueType

STATS = (
    "Problem-list figures for an organisation's subtree and a period, over the issues you may see."
)
StatsScope = Annotated[
    strawberry.ID, strawberry.argument(description="A compound, community, street, ...")
]
StatsFrom = Annotated[
    datetime | None, strawberry.argument(description="Issues reported at or after.")
]
StatsTo = Annotated[datetime | None, strawberry.argument(description="Issues reported before.")]


async def _stats(
    info: Info, scope: strawberry.ID, created_from: datetime | None, created_to: datetime | None
) -> issue_stats.IssueStats:
    # One reading behind issueStatistics and its deprecated twin issueStats.
    return await issue_stats.issue_stats(
        info.context, decode_id(scope, "Organisation"), created_from, created_to
    )


@strawberry.type
class IssueQuery:
    @strawberry.field(
        description="The resident problem list: issues you may see (a resident sees their "
        "compound's issues, without other reporters' identities; a firm only those assigned to it)."
    )
    async def issues(
        self,
        info: Info,
        filter: Annotated[
            IssueFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        order_by: Annotated[
            IssueOrder, strawberry.argument(description="Sort order; NEWEST when omitted.")
        ] = IssueOrder.NEWEST,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[IssueType]:
        domain_filter = filter.to_domain() if filter else issues.IssueFilter()
        compiled = connection_selection(info, ISSUE_SPEC)
        if compiled is not None:
            query = await issues.issue_page_query(
                info.context, domain_filter, order_by, first, after, last=last, before=before
            )
            # The finished answer, typed as what the field promises (schema/compiled).
            return cast(
                Connection[IssueType],
                await compiled_connection(info, compiled, query),
            )
        page = await issues.list_issues(
            info.context, domain_filter, order_by, first, after, last=last, before=before
        )
        await prefetch(info, page.items, ISSUE_RELATIONS)
        return to_connection(page, IssueType.from_row)

    @strawberry.field(description=STATS)
    async def issue_statistics(
        self,
        info: Info,
        scope: StatsScope,
        created_from: StatsFrom = None,
        created_to: StatsTo = None,
    ) -> IssueStatsType:
        return IssueStatsType.from_stats(await _stats(info, scope, created_from, created_to))

    @strawberry.field(
        description=STATS,
        deprecation_reason="Use issueStatistics (type IssueStats).",
    )
    async def issue_stats(
        self,
        info: Info,
        scope: StatsScope,
        created_from: StatsFrom = None,
        created_to: StatsTo = None,
    ) -> LegacyIssueStatsType:
        return LegacyIssueStatsType.from_stats(await _stats(info, scope, created_from, created_to))

    @strawberry.field(description="Joint meetings you may see, latest first.")
    async def joint_meetings(
        self,
        info: Info,
        organisation: Annotated[
            strawberry.ID | None, strawberry.argument(description="Held by this organisation.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[JointMeetingType]:
        organisation_id = decode_optional(organisation, "Organisation")
        window = Window(first, after, last, before)
        compiled = connection_selection(info, JOINT_MEETING)
        if compiled is not None:
            filter = meetings.JointMeetingFilter(organisation_id)
            query = await meetings.meetings_page_query(info.context, filter, window)
            answer = await compiled_connection(info, compiled, query)
            return cast(Connection[JointMeetingType], answer)
        page = await meetings.list_meetings(info.context, organisation_id, window)
        return to_connection(page, JointMeetingType.from_row)
