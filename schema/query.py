"""The Query root."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.audit import queries as audit
from resolvers.errors import BadUserInput
from resolvers.issues import meetings
from resolvers.issues import queries as issues
from resolvers.issues import stats as issue_stats
from resolvers.issues.queries import IssueOrder
from resolvers.organisations import operations as organisations
from resolvers.people import operations as people
from resolvers.positions import operations as positions
from schema.audit.inputs import AuditLogFilter
from schema.audit.types import AuditEntryType
from schema.common.connection import AFTER, FIRST, Connection, to_connection
from schema.context import Info
from schema.evaluations.queries import EvaluationQuery
from schema.ids import decode_id, decode_optional, parse_global_id
from schema.indicators.queries import IndicatorsQuery
from schema.issues.inputs import IssueFilter
from schema.issues.meeting_types import JointMeetingType
from schema.issues.stats_types import IssueStatsType
from schema.issues.types import IssueType
from schema.love_bank.queries import LoveBankQuery
from schema.nodes import load_node
from schema.organisations import loaders as organisations_loaders
from schema.organisations.inputs import OrganisationFilter, PersonFilter, PositionFilter
from schema.organisations.types import OrganisationType
from schema.people.types import PersonType
from schema.people.viewer import RoleGrant, Viewer
from schema.positions.types import PositionType
from schema.service_posts.queries import PostsQuery
from schema.tokens.queries import TokenQuery

MAX_NODES = 100


async def _load_node(info: Info, value: strawberry.ID) -> relay.Node | None:
    type_name, node_id = parse_global_id(value)
    return await load_node(info.context, type_name, node_id)


@strawberry.type(description="Read the compound's governance data, scoped to what you may see.")
class Query(TokenQuery, PostsQuery, EvaluationQuery, LoveBankQuery, IndicatorsQuery):
    @strawberry.field(description="The signed-in caller; null without a token.")
    def me(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor.person_id is None:
            return None
        return Viewer(
            roles=[RoleGrant.from_grant(g) for g in actor.grants],
            _person_id=actor.person_id,
        )

    @strawberry.field(
        description="Any object by its global id; null if it does not exist or you may not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> relay.Node | None:
        return await _load_node(info, id)

    @strawberry.field(
        description="Objects by global id, in the order asked (at most 100); "
        "null where not visible."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"Ask for at most {MAX_NODES} ids at once.")
        # Gathered, so each type's DataLoader fetches all its ids in one statement.
        return list(await asyncio.gather(*(_load_node(info, value) for value in ids)))

    @strawberry.field(description="One organisation by global id; null if not visible.")
    async def organisation(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Its global id.")],
    ) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(
            decode_id(id, "Organisation")
        )
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Organisations you may see, by name.")
    async def organisations(
        self,
        info: Info,
        filter: Annotated[
            OrganisationFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[OrganisationType]:
        domain_filter = filter.to_domain() if filter else organisations.OrganisationFilter()
        page = await organisations.list_organisations(info.context, domain_filter, first, after)
        return to_connection(page, OrganisationType.from_row)

    @strawberry.field(description="People you may see, by name.")
    async def people(
        self,
        info: Info,
        filter: Annotated[
            PersonFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PersonType]:
        domain_filter = filter.to_domain() if filter else people.PersonFilter()
        page = await people.list_people(info.context, domain_filter, first, after)
        return to_connection(page, PersonType.from_row)

    @strawberry.field(description="Positions you may see, in order of appointment.")
    async def positions(
        self,
        info: Info,
        filter: Annotated[
            PositionFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PositionType]:
        domain_filter = filter.to_domain() if filter else positions.PositionFilter()
        page = await positions.list_positions(info.context, domain_filter, first, after)
        return to_connection(page, PositionType.from_row)

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
    ) -> Connection[IssueType]:
        domain_filter = filter.to_domain() if filter else issues.IssueFilter()
        page = await issues.list_issues(info.context, domain_filter, order_by, first, after)
        return to_connection(page, IssueType.from_row)

    @strawberry.field(
        description="Problem-list figures for an organisation's subtree and a period, over the "
        "issues you may see."
    )
    async def issue_stats(
        self,
        info: Info,
        scope: Annotated[
            strawberry.ID, strawberry.argument(description="A compound, community, street, ...")
        ],
        created_from: Annotated[
            datetime | None, strawberry.argument(description="Issues reported at or after.")
        ] = None,
        created_to: Annotated[
            datetime | None, strawberry.argument(description="Issues reported before.")
        ] = None,
    ) -> IssueStatsType:
        stats = await issue_stats.issue_stats(
            info.context, decode_id(scope, "Organisation"), created_from, created_to
        )
        return IssueStatsType.from_stats(stats)

    @strawberry.field(description="Joint meetings you may see, latest first.")
    async def joint_meetings(
        self,
        info: Info,
        organisation: Annotated[
            strawberry.ID | None, strawberry.argument(description="Held by this organisation.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[JointMeetingType]:
        page = await meetings.list_meetings(
            info.context, decode_optional(organisation, "Organisation"), first, after
        )
        return to_connection(page, JointMeetingType.from_row)

    @strawberry.field(
        description="The audit log, newest first: every mutation attempt with its actor, the "
        "grant that allowed it, its changes and its place in the hash chain. Supervisors read "
        "their subtree, the secretary the compound, everyone the entries they made or that are "
        "about their person record (permission audit:read)."
    )
    async def audit_log(
        self,
        info: Info,
        filter: Annotated[
            AuditLogFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AuditEntryType]:
        domain_filter = filter.to_domain() if filter else audit.AuditFilter()
        page = await audit.list_entries(info.context, domain_filter, first, after)
        return to_connection(page, AuditEntryType.from_row)
