"""The Mobilisation node (a call to action sent to a subtree) and each person's answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

import strawberry
from strawberry import relay

import schema.mobilisation.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import (
    Mobilisation,
    MobilisationGroup,
    MobilisationOutcome,
    MobilisationRecipient,
    MobilisationStatus,
    MobilisationUrgency,
)
from resolvers.mobilisation import queries as mobilisation
from resolvers.pagination import Window
from schema.audit.trail import audit_trail_field
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.mobilisation import loaders
from schema.mobilisation.inputs import RecipientFilter
from schema.organisations.loaded import visible_organisation
from schema.organisations.types import OrganisationType
from schema.people.loaded import visible_person
from schema.people.types import PersonType

READERS = (
    "Read by the people it called on (their own answer only), and by the party branch, the "
    "committees and supervisors over its target (mobilisation:read, mobilisation_recipient:read)"
)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


@strawberry.type(
    name="MobilisationRecipient",
    description="One person a mobilisation called on, and their answer. Acknowledged and "
    "reported by that person only (mobilisation_recipient:respond). " + READERS + ".",
)
class MobilisationRecipientType(relay.Node):
    id: relay.NodeID[int]
    group: MobilisationGroup = strawberry.field(description="Why they were called on.")
    acknowledged_at: datetime | None = strawberry.field(
        description="When they acknowledged it (UTC)."
    )
    reported_at: datetime | None = strawberry.field(
        description="When they last reported back (UTC)."
    )
    report: str | None = strawberry.field(description="What they reported.")
    outcome: MobilisationOutcome | None = strawberry.field(description="Their outcome.")
    version: int = strawberry.field(description="Incremented on every change.")
    _row: strawberry.Private[MobilisationRecipient]

    @classmethod
    def from_row(cls, row: MobilisationRecipient) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            group=row.group,
            acknowledged_at=row.acknowledged_at,
            reported_at=row.reported_at,
            report=row.report,
            outcome=row.outcome,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="Minutes from sending to the acknowledgement.")
    def response_minutes(self) -> float | None:
        seconds = self._row.response_seconds
        return None if seconds is None else _minutes(float(seconds))

    @strawberry.field(description="The person called on, if you may see them.")
    async def person(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.person_id)

    @strawberry.field(description="The mobilisation.")
    async def mobilisation(self, info: Info) -> MobilisationType | None:
        row = await loaders.mobilisation_row(info.context).load(self._row.mobilisation_id)
        return MobilisationType.from_row(row) if row else None

    audit_trail = audit_trail_field("mobilisation_recipient")


@strawberry.type(
    name="Mobilisation",
    description="A call to action (一聲令下, 應急動員) a compound's party branch or a street's "
    "or community's officer sends to the party members, volunteers and service-post holders "
    "of a subtree (mobilisation:send; closed by the sending body, mobilisation:close). The "
    "people called on are fixed when it is sent; each acknowledges and reports back. "
    + READERS
    + "; a resident it did not call on sees nothing of it.",
)
class MobilisationType(relay.Node):
    id: relay.NodeID[int]
    title: str = strawberry.field(description="Its title.")
    instructions: str = strawberry.field(description="What to do, where and when.")
    urgency: MobilisationUrgency = strawberry.field(description="How soon.")
    groups: list[MobilisationGroup] = strawberry.field(description="The groups called on.")
    respond_by: datetime = strawberry.field(
        description="Answers are asked for by then (UTC); from then on none are taken "
        "(BAD_USER_INPUT, reason MOBILISATION_PAST_DEADLINE) and the call is closed."
    )
    status: MobilisationStatus = strawberry.field(description="OPEN or CLOSED.")
    sent_at: datetime = strawberry.field(description="When it was sent (UTC).")
    closed_at: datetime | None = strawberry.field(
        description="When it was closed (UTC): by its sender, or its deadline when it closed at it."
    )
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    _row: strawberry.Private[Mobilisation]

    @classmethod
    def from_row(cls, row: Mobilisation) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            title=row.title,
            instructions=row.instructions,
            urgency=row.urgency,
            groups=[MobilisationGroup(g) for g in row.groups],
            respond_by=row.respond_by,
            status=row.status,
            sent_at=row.sent_at,
            closed_at=row.closed_at,
            version=row.version,
            _row=row,
        )

    @strawberry.field(description="The sending body: a party branch, a street or a community.")
    async def sender(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.sender_id)

    @strawberry.field(description="The root of the subtree it was sent to.")
    async def target(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.target_id)

    @strawberry.field(description="Who sent it for the body, if you may see them.")
    async def sent_by(self, info: Info) -> PersonType | None:
        return await visible_person(info, self._row.sent_by_id)

    @strawberry.field(description="People called on.")
    async def targeted(self, info: Info) -> int:
        return (await loaders.figures(info.context).load(self.id)).targeted

    @strawberry.field(description="Of them, those who acknowledged.")
    async def acknowledged(self, info: Info) -> int:
        return (await loaders.figures(info.context).load(self.id)).acknowledged

    @strawberry.field(description="Of them, those who reported back.")
    async def reported(self, info: Info) -> int:
        return (await loaders.figures(info.context).load(self.id)).reported

    @strawberry.field(description="Acknowledged over targeted; null when nobody was called on.")
    async def turnout_rate(self, info: Info) -> float | None:
        found = await loaders.figures(info.context).load(self.id)
        return mobilisation.ratio(found.acknowledged, found.targeted)

    @strawberry.field(description="Reported over targeted; null when nobody was called on.")
    async def report_rate(self, info: Info) -> float | None:
        found = await loaders.figures(info.context).load(self.id)
        return mobilisation.ratio(found.reported, found.targeted)

    @strawberry.field(description="Mean minutes from sending to acknowledgement.")
    async def average_response_minutes(self, info: Info) -> float | None:
        found = await loaders.figures(info.context).load(self.id)
        return _minutes(found.average_response_seconds)

    @strawberry.field(description="Median minutes from sending to acknowledgement.")
    async def median_response_minutes(self, info: Info) -> float | None:
        found = await loaders.figures(info.context).load(self.id)
        return _minutes(found.median_response_seconds)

    @strawberry.field(description="Your own answer, when it called on you.")
    async def my_answer(self, info: Info) -> MobilisationRecipientType | None:
        row = await loaders.my_answer(info.context).load(self.id)
        return MobilisationRecipientType.from_row(row) if row else None

    @strawberry.field(
        description="The people called on and their answers, as you may see them (a person "
        "called on: only their own), in the order they were called."
    )
    async def recipients(
        self,
        info: Info,
        filter: Annotated[
            RecipientFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[MobilisationRecipientType]:
        conditions = filter.to_domain() if filter else mobilisation.RecipientFilter()
        page = await mobilisation.list_recipients(
            info.context, self.id, conditions, Window(first, after, last, before)
        )
        return to_connection(page, MobilisationRecipientType.from_row)

    audit_trail = audit_trail_field("mobilisation")


register_node("mobilisation", MobilisationType, loaders.mobilisation_row)
register_node("mobilisation_recipient", MobilisationRecipientType, loaders.recipient)
