"""The Organisation node."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from db.models import IssueStatus, LinkKind, Organisation, OrganisationKind, PositionTitle
from db.paths import ids_on_path
from resolvers.errors import BadUserInput
from resolvers.i18n import tr
from resolvers.issues import queries as issues
from resolvers.organisations import links
from resolvers.organisations import queries as organisations
from resolvers.pagination import Window
from resolvers.people import queries as people
from resolvers.positions import queries as positions
from resolvers.recognition import queries as recognition
from resolvers.stations import queries as stations
from schema.audit.trail import audit_trail_field
from schema.co_building import loaders as co_building_loaders
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders
from schema.recognition.fields import commendations_field

if TYPE_CHECKING:
    from schema.co_building.types import PartnerDeliveryType
    from schema.evaluations.standing_types import FirmStandingRecord
    from schema.issues.types import IssueType
    from schema.organisations.link_types import OrganisationLinkType
    from schema.people.types import PersonType
    from schema.positions.types import PositionType
    from schema.stations.types import StationType

PersonRef = Annotated["PersonType", strawberry.lazy("schema.people.types")]
PositionRef = Annotated["PositionType", strawberry.lazy("schema.positions.types")]
LinkRef = Annotated["OrganisationLinkType", strawberry.lazy("schema.organisations.link_types")]
IssueRef = Annotated["IssueType", strawberry.lazy("schema.issues.types")]
DeliveryRef = Annotated["PartnerDeliveryType", strawberry.lazy("schema.co_building.types")]
StandingRef = Annotated["FirmStandingRecord", strawberry.lazy("schema.evaluations.standing_types")]
StationRef = Annotated["StationType", strawberry.lazy("schema.stations.types")]
# The years a co-building summary may be asked for (any real year; keeps dates in range).
MIN_YEAR, MAX_YEAR = 1900, 2100


@strawberry.type(
    name="Organisation",
    description="A node of the city tree (city, district, street, community, compound, building) "
    "or a body in or beside a compound (party branch, owners' committee, property firm, ...). "
    "Readable by: residents and committee members of its compound, the secretary, firms "
    "serving it, supervisors above it, admins (permission organisation:read).",
)
class OrganisationType(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Display name.")
    kind: OrganisationKind = strawberry.field(description="What this organisation is.")
    depth: int = strawberry.field(description="Distance from the root of the tree (the city is 0).")
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion` "
        "to avoid lost updates."
    )
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    _row: strawberry.Private[Organisation]

    @classmethod
    def from_row(cls, row: Organisation) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            kind=row.kind,
            depth=row.depth,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="The organisation directly above, if you may see it.")
    async def parent(self, info: Info) -> OrganisationType | None:
        if self._row.parent_id is None:
            return None
        row = await loaders.organisation(info.context).load(self._row.parent_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="The compound this organisation belongs to (itself for a compound), if any."
    )
    async def compound(self, info: Info) -> OrganisationType | None:
        if self._row.compound_id is None:
            return None
        row = await loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(
        description="The organisations above this one, from the root down; "
        "those you may not see are left out."
    )
    async def ancestors(self, info: Info) -> list[OrganisationType]:
        ids = ids_on_path(self._row.path)[:-1]
        rows = await loaders.organisation(info.context).load_many(ids)
        return [OrganisationType.from_row(row) for row in rows if row is not None]

    @strawberry.field(description="The organisations directly below, by name.")
    async def children(
        self,
        info: Info,
        kinds: Annotated[
            list[OrganisationKind] | None, strawberry.argument(description="Only these kinds.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[OrganisationType]:
        page = await organisations.list_organisations(
            info.context,
            organisations.OrganisationFilter(parent_id=self.id, kinds=kinds),
            first,
            after,
            last=last,
            before=before,
        )
        return to_connection(page, OrganisationType.from_row)

    @strawberry.field(description="Positions held in this organisation, newest appointment last.")
    async def positions(
        self,
        info: Info,
        active_on: Annotated[
            date | None,
            strawberry.argument(
                description="Only positions active on this day (start ≤ day < end)."
            ),
        ] = None,
        titles: Annotated[
            list[PositionTitle] | None, strawberry.argument(description="Only these titles.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PositionRef]:
        from schema.positions.types import PositionType

        page = await positions.list_positions(
            info.context,
            positions.PositionFilter(organisation_id=self.id, active_on=active_on, titles=titles),
            first,
            after,
            last=last,
            before=before,
        )
        return to_connection(page, PositionType.from_row)

    @strawberry.field(description="People who hold an active position here today, by name.")
    async def members(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PersonRef]:
        from schema.people.types import PersonType

        page = await people.list_people(
            info.context,
            people.PersonFilter(holds_position_in=self.id),
            first,
            after,
            last=last,
            before=before,
        )
        return to_connection(page, PersonType.from_row)

    @strawberry.field(
        description="People whose residence is this compound or building, by name "
        "(empty for other kinds)."
    )
    async def residents(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PersonRef]:
        from schema.people.types import PersonType

        if self.kind is OrganisationKind.COMPOUND:
            filter = people.PersonFilter(compound_id=self.id)
        elif self.kind is OrganisationKind.BUILDING:
            filter = people.PersonFilter(building_id=self.id)
        else:
            filter = people.PersonFilter(compound_id=-1)
        page = await people.list_people(
            info.context, filter, first, after, last=last, before=before
        )
        return to_connection(page, PersonType.from_row)

    @strawberry.field(
        description="Service contracts and co-building pairs this organisation is part of."
    )
    async def links(
        self,
        info: Info,
        kind: Annotated[LinkKind | None, strawberry.argument(description="Only this kind.")] = None,
        active_on: Annotated[
            date | None, strawberry.argument(description="Only links in force on this day.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[LinkRef]:
        from schema.organisations.link_types import OrganisationLinkType

        page = await links.list_links(
            info.context,
            links.LinkFilter(organisation_id=self.id, kind=kind, active_on=active_on),
            Window(first, after, last, before),
        )
        return to_connection(page, OrganisationLinkType.from_row)

    @strawberry.field(
        description="The problem list of this organisation's subtree (a compound's own issues), "
        "newest first, as far as you may see it."
    )
    async def issues(
        self,
        info: Info,
        status: Annotated[
            list[IssueStatus] | None, strawberry.argument(description="Only these statuses.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[IssueRef]:
        from schema.issues.types import IssueType

        page = await issues.list_issues(
            info.context,
            issues.IssueFilter(subtree_of=self.id, statuses=status),
            issues.IssueOrder.NEWEST,
            first,
            after,
            last=last,
            before=before,
        )
        return to_connection(page, IssueType.from_row)

    audit_trail = audit_trail_field("organisation")

    @strawberry.field(
        description="For a compound: each partner unit or social organisation co-building with "
        "it in YEAR, and whether it did at least one practical thing that year (>= 1 COMPLETED "
        "project; 每年至少辦一件實事), counted over the projects you may see. Empty for other "
        "kinds."
    )
    async def co_building_summary(
        self,
        info: Info,
        year: Annotated[int, strawberry.argument(description="The year, e.g. 2026.")],
    ) -> list[DeliveryRef]:
        from schema.co_building.types import PartnerDeliveryType

        if not MIN_YEAR <= year <= MAX_YEAR:
            raise BadUserInput(
                tr(
                    "Give a year between {MIN_YEAR} and {MAX_YEAR}.",
                    MIN_YEAR=MIN_YEAR,
                    MAX_YEAR=MAX_YEAR,
                )
            )
        if self.kind is not OrganisationKind.COMPOUND:
            return []
        rows = await co_building_loaders.delivery_summary(info.context, year).load(self.id)
        return [PartnerDeliveryType.from_row(row) for row in rows]

    @strawberry.field(
        description="A property firm's white or black list standing (黑白名單): the entry in "
        "force and the history, as far as you may read them (permission standing:read); null "
        "for other kinds."
    )
    def standing(self) -> StandingRef | None:
        from schema.evaluations.standing_types import FirmStandingRecord

        if self.kind is not OrganisationKind.PROPERTY_FIRM:
            return None
        return FirmStandingRecord(_firm_id=self.id)

    @strawberry.field(
        description="Neighbourhood red stations of this compound (of the compounds under it, for "
        "a community, street, ...), by name, as far as you may see them (station:read)."
    )
    async def stations(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[StationRef]:
        from schema.stations.types import StationType

        if self.kind is OrganisationKind.COMPOUND:
            filter = stations.StationFilter(compound_id=self.id)
        else:
            filter = stations.StationFilter(under_path=self._row.path)
        page = await stations.list_stations(
            info.context, filter, Window(first, after, last, before)
        )
        return to_connection(page, StationType.from_row)

    commendations = commendations_field(
        lambda branch: recognition.CommendationFilter(organisation_id=branch.id),
        description="The commendations (兩優一先) this party branch received, newest first, "
        "withdrawn ones left out (commendation:read).",
    )


register_node("organisation", OrganisationType, loaders.organisation)
