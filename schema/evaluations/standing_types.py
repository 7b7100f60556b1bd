"""A property firm's standing (物業黑白名單): the FirmStanding node and Organisation.standing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

import strawberry
from strawberry import relay

from db.models import FirmStanding, StandingList
from db.periods import in_force
from resolvers.evaluations import standing
from resolvers.pagination import Window
from schema.audit.trail import audit_trail_field
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.evaluations import loaders
from schema.evaluations.types import EvaluationType
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType

StandingListEnum = strawberry.enum(
    StandingList,
    name="StandingList",
    description="WHITE: a firm in good standing (白名單). BLACK: a firm that compounds should "
    "not hire (黑名單), a reference for renewal and tendering.",
)

READERS = (
    "Readable (permission standing:read) by supervisors over the firm or a compound it "
    "serves, the firm's own staff, and the residents, branch and committees of every compound "
    "the firm serves, has served or is contracted to serve (tendering itself is not recorded)."
)


@strawberry.type(
    name="FirmStanding",
    description="A property firm on the white or black list for a term: in force from startsOn "
    "up to, not including, endsOn. One firm's entries never overlap: a new entry starts after "
    "every earlier one, and the entry running then ends that day. Set by supervisors and admins "
    "(standing:set). " + READERS,
)
class FirmStandingType(relay.Node):
    id: relay.NodeID[int]
    list: StandingList = strawberry.field(description="WHITE or BLACK.")
    reason: str = strawberry.field(description="Why, e.g. the evaluation result it follows.")
    starts_on: date = strawberry.field(description="First day in force.")
    ends_on: date | None = strawberry.field(
        description="The day it ends (no longer in force from this day); null: open-ended."
    )
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[FirmStanding]

    @classmethod
    def from_row(cls, row: FirmStanding) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            list=row.kind,
            reason=row.reason,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Whether it is in force today.")
    def in_force(self, info: Info) -> bool:
        return in_force(self._row.starts_on, self._row.ends_on, info.context.today)

    @strawberry.field(
        description="The firm, if you may see it (a firm that no longer serves your compound "
        "may not be visible: see firmName)."
    )
    async def firm(self, info: Info) -> OrganisationType | None:
        row = await organisations_loaders.organisation(info.context).load(self._row.firm_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The firm's name, always shown: a list names the firm.")
    async def firm_name(self, info: Info) -> str:
        name, _ = await loaders.organisation_label(info.context).load(self._row.firm_id)
        return name

    @strawberry.field(description="The evaluation it follows, if given and visible to you.")
    async def evaluation(self, info: Info) -> EvaluationType | None:
        if self._row.evaluation_id is None:
            return None
        row = await loaders.evaluation(info.context).load(self._row.evaluation_id)
        return EvaluationType.from_row(row) if row else None

    audit_trail = audit_trail_field("standing")


@strawberry.type(
    description="A property firm's standing: the entry in force today and every entry. " + READERS
)
class FirmStandingRecord:
    _firm_id: strawberry.Private[int]

    @strawberry.field(description="The entry in force today, if any.")
    async def current(self, info: Info) -> FirmStandingType | None:
        row = await loaders.standing_in_force(info.context).load(self._firm_id)
        return FirmStandingType.from_row(row) if row else None

    @strawberry.field(description="Every entry you may see, the latest first.")
    async def history(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[FirmStandingType]:
        page = await standing.list_standings(
            info.context,
            standing.StandingFilter(firm_id=self._firm_id),
            Window(first, after, last, before),
        )
        return to_connection(page, FirmStandingType.from_row)


register_node("standing", FirmStandingType, loaders.firm_standing)
