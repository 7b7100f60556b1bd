"""Co-building lists (共建清單): a compound's needs and its partners' projects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

import strawberry
from strawberry import relay

import schema.co_building.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import CoBuildingNeed, CoBuildingProject, ProjectStatus
from resolvers.co_building.queries import PartnerDelivery
from schema.audit.trail import audit_trail_field
from schema.co_building import loaders
from schema.common.nodes import register_node
from schema.context import Info
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType

READERS = (
    "Readable by the compound's residents, branch and committees, supervisors above it and admins"
)


@strawberry.type(
    name="CoBuildingProject",
    description="A partner unit's or social organisation's commitment to do one practical thing "
    f"for a compound in a year (共建項目). {READERS} (permission project:read). Recorded by the "
    "secretary for the partner (project:commit), then completed (project:complete) or cancelled "
    "(project:cancel); the status moves as ProjectStatus says.",
)
class CoBuildingProjectType(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year it is for.")
    title: str = strawberry.field(description="What the partner will do.")
    description: str = strawberry.field(description="Details.")
    due_on: date | None = strawberry.field(description="When it is due, within its year.")
    status: ProjectStatus = strawberry.field(description="Where it stands.")
    committed_on: date = strawberry.field(description="When the commitment was recorded.")
    completed_on: date | None = strawberry.field(description="When it was delivered.")
    outcome: str | None = strawberry.field(description="What was delivered.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    _row: strawberry.Private[CoBuildingProject]

    @classmethod
    def from_row(cls, row: CoBuildingProject) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            year=row.year,
            title=row.title,
            description=row.description,
            due_on=row.due_on,
            status=row.status,
            committed_on=row.committed_on,
            completed_on=row.completed_on,
            outcome=row.outcome,
            cancel_reason=row.cancel_reason,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(description="The compound it is for.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The partner unit or social organisation, if you may see it.")
    async def partner(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.partner_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The need on the compound's list it answers, if any.")
    async def need(self, info: Info) -> CoBuildingNeedType | None:
        if self._row.need_id is None:
            return None
        row = await loaders.co_building_need(info.context).load(self._row.need_id)
        return CoBuildingNeedType.from_row(row) if row else None

    @strawberry.field(description="Who recorded it, if you may see them.")
    async def recorded_by(self, info: Info) -> PersonType | None:
        if self._row.recorded_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.recorded_by_id)
        return PersonType.from_row(row) if row else None

    audit_trail = audit_trail_field("project")


@strawberry.type(
    name="CoBuildingNeed",
    description="One line of a compound's needs list for a year (供需項目清單), for partners to "
    f"commit projects against. {READERS} (permission need:read); published by the secretary "
    "(need:publish).",
)
class CoBuildingNeedType(relay.Node):
    id: relay.NodeID[int]
    year: int = strawberry.field(description="The year of the list.")
    title: str = strawberry.field(description="What the compound needs.")
    description: str = strawberry.field(description="Details.")
    category: str | None = strawberry.field(description="A free label (環境, 養老, 設施 ...).")
    version: int = strawberry.field(description="Incremented on every change.")
    created_at: datetime = strawberry.field(description="When it was published (UTC).")
    _row: strawberry.Private[CoBuildingNeed]

    @classmethod
    def from_row(cls, row: CoBuildingNeed) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            year=row.year,
            title=row.title,
            description=row.description,
            category=row.category,
            version=row.version,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description="The compound whose list it is on.")
    async def compound(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="Who published it, if you may see them.")
    async def published_by(self, info: Info) -> PersonType | None:
        if self._row.published_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.published_by_id)
        return PersonType.from_row(row) if row else None

    @strawberry.field(description="The projects committed against it, in the order committed.")
    async def projects(self, info: Info) -> list[CoBuildingProjectType]:
        rows = await loaders.need_projects(info.context).load(self.id)
        return [CoBuildingProjectType.from_row(row) for row in rows]

    audit_trail = audit_trail_field("need")


@strawberry.type(
    name="PartnerDelivery",
    description="A partner co-building with a compound in a year, and whether it did at least "
    "one practical thing for it that year (每年至少為小區辦一件實事).",
)
class PartnerDeliveryType:
    committed: int = strawberry.field(
        description="Projects of the year not cancelled (committed or completed)."
    )
    completed: int = strawberry.field(description="Projects of the year completed.")
    delivered: bool = strawberry.field(description="Whether at least one was completed.")
    _row: strawberry.Private[PartnerDelivery]

    @classmethod
    def from_row(cls, row: PartnerDelivery) -> Self:
        return cls(
            committed=row.committed, completed=row.completed, delivered=row.delivered, _row=row
        )

    @strawberry.field(description="The partner unit or social organisation, if you may see it.")
    async def partner(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.partner_id)
        return OrganisationType.from_row(row) if row else None


register_node("need", CoBuildingNeedType, loaders.co_building_need)
register_node("project", CoBuildingProjectType, loaders.co_building_project)
