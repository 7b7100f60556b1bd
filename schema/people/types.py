"""The Person node, with its sensitive fields behind their own permissions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

from db.models import PartyMembership, PartyMemberStatus, Person
from resolvers.issues import queries as issues
from resolvers.love_bank import points as love_bank
from resolvers.pagination import Window
from resolvers.positions import queries as positions
from resolvers.recognition import queries as recognition
from resolvers.service_posts import queries as service_posts
from schema.audit.trail import audit_trail_field
from schema.common.connection import AFTER, BEFORE, FIRST, LAST, Connection, to_connection
from schema.common.nodes import register_node
from schema.context import Info
from schema.love_bank import loaders as love_bank_loaders
from schema.organisations import loaders as organisations_loaders
from schema.organisations.types import OrganisationType
from schema.people import loaders
from schema.positions import loaders as positions_loaders
from schema.recognition.fields import commendations_field, mentor_pairs_field
from schema.service_posts import loaders as service_posts_loaders

if TYPE_CHECKING:
    from schema.issues.types import IssueType
    from schema.love_bank.types import PointsMovement
    from schema.positions.types import PositionType
    from schema.service_posts.types import PostClaimType, ServiceRegistrationType

PositionRef = Annotated["PositionType", strawberry.lazy("schema.positions.types")]
IssueRef = Annotated["IssueType", strawberry.lazy("schema.issues.types")]
RegistrationRef = Annotated[
    "ServiceRegistrationType", strawberry.lazy("schema.service_posts.types")
]
ClaimRef = Annotated["PostClaimType", strawberry.lazy("schema.service_posts.types")]
MovementRef = Annotated["PointsMovement", strawberry.lazy("schema.love_bank.types")]


async def _may_read(info: Info, person_id: int, action: str, field: str) -> bool:
    """Whether a sensitive field may be shown; a refusal is noted once in the response."""
    allowed = await loaders.sensitive(info.context, action).load(person_id)
    if not allowed:
        info.context.masked_fields.add(field)
    return allowed


@strawberry.type(description="Where a person lives.")
class Residence:
    unit: str | None = strawberry.field(description="The unit (flat) number, as written.")
    _compound_id: strawberry.Private[int | None]
    _building_id: strawberry.Private[int | None]

    @strawberry.field(description="The compound, if you may see it.")
    async def compound(self, info: Info) -> OrganisationType | None:
        if self._compound_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(self._compound_id)
        return OrganisationType.from_row(row) if row else None

    @strawberry.field(description="The building, if recorded and you may see it.")
    async def building(self, info: Info) -> OrganisationType | None:
        if self._building_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(self._building_id)
        return OrganisationType.from_row(row) if row else None


@strawberry.type(description="Party membership details. Sensitive: permission person:read_party.")
class PartyDetails:
    membership: PartyMembership = strawberry.field(description="Member or not.")
    status: PartyMemberStatus | None = strawberry.field(
        description="In service or retired, for members."
    )
    joined_on: date | None = strawberry.field(description="When the person joined the party.")
    _reported_community_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The residence community an in-service member reported to (在職黨員報到)."
    )
    async def reported_community(self, info: Info) -> OrganisationType | None:
        if self._reported_community_id is None:
            return None
        row = await organisations_loaders.organisation(info.context).load(
            self._reported_community_id
        )
        return OrganisationType.from_row(row) if row else None


@strawberry.type(
    name="Person",
    description="A resident, party member, officer or firm employee. Readable by: the person, "
    "the secretary, committee members and firms serving their compound, supervisors above it; "
    "residents see the holders of positions in their compound (permission person:read).",
)
class PersonType(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Full name.")
    skills: list[str] = strawberry.field(
        description="Skills offered to neighbours (lawyer, teacher, doctor, ...), lower-case."
    )
    version: int = strawberry.field(
        description="Incremented on every change; send it back as `expectedVersion`."
    )
    created_at: datetime = strawberry.field(description="When the person was registered (UTC).")
    updated_at: datetime = strawberry.field(description="When the record last changed (UTC).")
    _row: strawberry.Private[Person]

    @classmethod
    def from_row(cls, row: Person) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            name=row.name,
            skills=list(row.skills or []),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _row=row,
        )

    @strawberry.field(
        description="Mobile phone. Sensitive: permission person:read_phone (the person, the "
        "secretary, committee members, supervisors); null otherwise, noted in "
        "`extensions.maskedFields`."
    )
    async def phone(self, info: Info) -> str | None:
        if not await _may_read(info, self.id, "read_phone", "Person.phone"):
            return None
        return self._row.phone

    @strawberry.field(
        description="Resident ID-card number. Sensitive: permission person:read_id_number (the "
        "person, the secretary, supervisors); null otherwise, noted in `extensions.maskedFields`."
    )
    async def id_number(self, info: Info) -> str | None:
        if not await _may_read(info, self.id, "read_id_number", "Person.idNumber"):
            return None
        return self._row.id_number

    @strawberry.field(
        description="Party membership. Sensitive: permission person:read_party (the person, the "
        "secretary, committee members, supervisors); null otherwise, noted in "
        "`extensions.maskedFields`."
    )
    async def party(self, info: Info) -> PartyDetails | None:
        if not await _may_read(info, self.id, "read_party", "Person.party"):
            return None
        row = self._row
        return PartyDetails(
            membership=row.party_membership,
            status=row.party_member_status,
            joined_on=row.party_joined_on,
            _reported_community_id=row.party_reported_community_id,
        )

    @strawberry.field(description="Where the person lives, if recorded.")
    def residence(self) -> Residence | None:
        row = self._row
        if row.residence_compound_id is None:
            return None
        return Residence(
            unit=row.residence_unit,
            _compound_id=row.residence_compound_id,
            _building_id=row.residence_building_id,
        )

    @strawberry.field(
        description="Whether the person holds, today, a position in a compound's party branch and "
        "one in its owners' committee or supervisory board (cross-appointment, 交叉任職); "
        "judged on the positions you may see."
    )
    async def is_cross_appointed(self, info: Info) -> bool:
        return await positions_loaders.cross_appointed(info.context).load(self.id)

    @strawberry.field(description="Positions this person holds or held.")
    async def positions(
        self,
        info: Info,
        active_on: Annotated[
            date | None,
            strawberry.argument(
                description="Only positions active on this day (start ≤ day < end)."
            ),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[PositionRef]:
        from schema.positions.types import PositionType

        page = await positions.list_positions(
            info.context,
            positions.PositionFilter(person_id=self.id, active_on=active_on),
            first,
            after,
            last=last,
            before=before,
        )
        return to_connection(page, PositionType.from_row)

    @strawberry.field(
        description="Issues this person reported, newest first: only those whose reporter you may "
        "know (issue:read_reporter), so nobody learns who reported what by asking here."
    )
    async def reported_issues(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[IssueRef]:
        from schema.issues.types import IssueType

        page = await issues.list_issues(
            info.context,
            issues.IssueFilter(reporter_id=self.id),
            issues.IssueOrder.NEWEST,
            first,
            after,
            last=last,
            before=before,
        )
        return to_connection(page, IssueType.from_row)

    audit_trail = audit_trail_field("person")

    @strawberry.field(
        description="The person's active report for service (在職黨員報到), if any and you may "
        "see it (permission service_registration:read: the person, the branch and committees, "
        "supervisors)."
    )
    async def service_registration(self, info: Info) -> RegistrationRef | None:
        from schema.service_posts.types import ServiceRegistrationType

        row = await service_posts_loaders.person_registration(info.context).load(self.id)
        return ServiceRegistrationType.from_row(row) if row else None

    @strawberry.field(
        description="Service posts this person claimed, newest first, as far as you may see them "
        "(permission post_claim:read)."
    )
    async def post_claims(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[ClaimRef]:
        from schema.service_posts.types import PostClaimType

        page = await service_posts.list_person_claims(
            info.context, self.id, Window(first, after, last, before)
        )
        return to_connection(page, PostClaimType.from_row)

    @strawberry.field(
        description="Love-bank points held now: the sum of the person's ledger lines. Only for "
        "those who may see their points (permission points:read: the person, the compound's "
        "branch and committees, supervisors); null otherwise, noted in `extensions.maskedFields`."
    )
    async def points_balance(self, info: Info) -> int | None:
        balance = await love_bank_loaders.points_balance(info.context).load(self.id)
        if balance is None:
            info.context.masked_fields.add("Person.pointsBalance")
        return balance

    @strawberry.field(
        description="The person's love-bank passbook, newest first: every line of their points "
        "account (permission points:read; empty otherwise)."
    )
    async def points_ledger(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
    ) -> Connection[MovementRef]:
        from schema.love_bank.types import PointsMovement

        page = await love_bank.movements(info.context, self.id, Window(first, after, last, before))
        return to_connection(page, lambda line: PointsMovement(amount=line.amount, _line=line))

    mentors = mentor_pairs_field(
        lambda person: recognition.PairFilter(mentee_id=person.id),
        description="Who mentors (導師幫帶) or mentored this person, newest first, as far as you "
        "may read the pairings (mentoring:read).",
    )
    mentees = mentor_pairs_field(
        lambda person: recognition.PairFilter(mentor_id=person.id),
        description="Whom this person mentors or mentored, newest first, as far as you may read "
        "the pairings (mentoring:read).",
    )
    commendations = commendations_field(
        lambda person: recognition.CommendationFilter(person_id=person.id),
        description="The person's commendations (兩優一先), newest first, withdrawn ones left "
        "out (commendation:read).",
    )


register_node("person", PersonType, loaders.person)
