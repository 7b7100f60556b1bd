"""The FundEntry node (one movement of a compound's fund ledger), its lines, and a compound's
fund balances."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Self

import strawberry
from strawberry import relay

import schema.funds.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import FundAccountKind, FundCategory, FundEntry, FundEntryKind, FundLine
from resolvers.funds.money import as_yuan
from resolvers.funds.queries import Balances
from schema.audit.trail import audit_trail_field
from schema.common.nodes import register_node
from schema.context import Info
from schema.funds import loaders
from schema.issues import loaders as issues_loaders
from schema.mobilisation import loaders as mobilisation_loaders
from schema.organisations.loaded import visible_organisation
from schema.organisations.types import OrganisationType
from schema.people import loaders as people_loaders
from schema.people.types import PersonType

if TYPE_CHECKING:
    from schema.issues.types import IssueType
    from schema.mobilisation.types import MobilisationType

IssueRef = Annotated["IssueType", strawberry.lazy("schema.issues.types")]
MobilisationRef = Annotated["MobilisationType", strawberry.lazy("schema.mobilisation.types")]

READERS = (
    "Readable by the compound's party branch and committees, and by supervisors above it "
    "(fund:read); a joint branch's ledger lies at its grid, read by its own officers and "
    "supervisors above the grid; residents read the fund statements published as notices."
)


@strawberry.type(
    name="FundLine",
    description="One line of a fund entry: fen into (or, negative, out of) one account.",
)
class FundLineType:
    amount: int = strawberry.field(description="Fen in; negative: fen out.")
    _row: strawberry.Private[FundLine]

    @strawberry.field(description="The account's kind.")
    async def account(self, info: Info) -> FundAccountKind | None:
        row = await loaders.fund_account(info.context).load(self._row.account_id)
        return row.kind if row else None


@strawberry.type(
    name="FundEntry",
    description="One movement of a fund ledger (經費與公共收益), in double entry: its two "
    "lines always sum to zero, and the accounts holding money (BRANCH_FUNDS, PUBLIC_REVENUE) "
    "never go below zero. GRANT: the street grants the party branch its start-up or a year's "
    "running fund (fund:grant, held above the compound or a joint branch's grid). SPENDING: "
    "the branch pays for something out of its funds (fund:spend, a member of the branch). "
    "REVENUE and DISTRIBUTION: public revenue received and paid out, recorded by a member of "
    "the owners' committee or the branch for that body (fund:record_revenue, "
    "fund:distribute). REVERSAL: a wrong entry reversed (never edited or deleted), by whoever "
    f"may record its kind. {READERS}",
)
class FundEntryType(relay.Node):
    id: relay.NodeID[int]
    kind: FundEntryKind = strawberry.field(
        description="GRANT, REVENUE, DISTRIBUTION, SPENDING or REVERSAL."
    )
    category: FundCategory = strawberry.field(description="What the money is.")
    amount: int = strawberry.field(description="The money moved, in fen (分).")
    year: int = strawberry.field(
        description="The year it is for (a running fund's year; otherwise the year it moved)."
    )
    occurred_on: date = strawberry.field(description="The day it was paid or received.")
    memo: str = strawberry.field(
        description="A note for the ledger: a spending's purpose, a reversal's reason."
    )
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    _row: strawberry.Private[FundEntry]

    @classmethod
    def from_row(cls, row: FundEntry) -> Self:
        assert row.id is not None
        return cls(
            id=row.id,
            kind=row.kind,
            category=row.category,
            amount=row.amount,
            year=row.year,
            occurred_on=row.occurred_on,
            memo=row.memo,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(description='The amount in yuan, exact to the fen ("3000.00").')
    def amount_yuan(self) -> Decimal:
        return as_yuan(self.amount)

    @strawberry.field(description="Its lines, which sum to zero.")
    async def lines(self, info: Info) -> list[FundLineType]:
        rows = await loaders.fund_lines(info.context).load(self.id)
        return [FundLineType(amount=row.amount, _row=row) for row in rows]

    @strawberry.field(
        description="The compound whose money it is (null on a joint branch's ledger)."
    )
    async def compound(self, info: Info) -> OrganisationType | None:
        if self._row.compound_id is None:
            return None
        return await visible_organisation(info, self._row.compound_id)

    @strawberry.field(
        description="The ledger it is in: its compound, or the grid of a joint branch."
    )
    async def ledger(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.ledger_id)

    @strawberry.field(
        description="The body whose money it is: the party branch for a grant, the owners' "
        "committee or the branch that recorded revenue or paid it out."
    )
    async def body(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._row.body_id)

    @strawberry.field(description="A spending's issue, if it was for one you may see.")
    async def issue(self, info: Info) -> IssueRef | None:
        from schema.issues.types import IssueType

        if self._row.issue_id is None:
            return None
        row = await issues_loaders.issue(info.context).load(self._row.issue_id)
        return IssueType.from_row(row) if row else None

    @strawberry.field(description="A spending's call to action, if it was for one you may see.")
    async def mobilisation(self, info: Info) -> MobilisationRef | None:
        from schema.mobilisation.types import MobilisationType

        if self._row.mobilisation_id is None:
            return None
        row = await mobilisation_loaders.mobilisation_row(info.context).load(
            self._row.mobilisation_id
        )
        return MobilisationType.from_row(row) if row else None

    @strawberry.field(description="The entry a REVERSAL reverses.")
    async def reverses(self, info: Info) -> FundEntryType | None:
        if self._row.reverses_id is None:
            return None
        row = await loaders.fund_entry(info.context).load(self._row.reverses_id)
        return FundEntryType.from_row(row) if row else None

    @strawberry.field(description="The REVERSAL that reversed it, if it was reversed.")
    async def reversed_by(self, info: Info) -> FundEntryType | None:
        row = await loaders.fund_reversal(info.context).load(self.id)
        return FundEntryType.from_row(row) if row else None

    @strawberry.field(description="Who recorded it, if you may see them.")
    async def recorded_by(self, info: Info) -> PersonType | None:
        if self._row.created_by_id is None:
            return None
        row = await people_loaders.person(info.context).load(self._row.created_by_id)
        return PersonType.from_row(row) if row else None

    audit_trail = audit_trail_field("fund_entry")


@strawberry.type(
    name="FundBalances",
    description="A ledger's fund accounts today (a compound's, or a joint branch's at its "
    "grid), in yuan exact to the fen: sums of the ledger's lines, net of reversals. "
    f"{READERS}",
)
class FundBalancesType:
    branch_funds: Decimal = strawberry.field(
        description="The party branch's funds (BRANCH_FUNDS): granted, never below zero."
    )
    public_revenue: Decimal = strawberry.field(
        description="Public revenue held, not yet distributed (PUBLIC_REVENUE); never below zero."
    )
    granted: Decimal = strawberry.field(description="All the street has granted the branch.")
    revenue: Decimal = strawberry.field(description="All public revenue received.")
    distributed: Decimal = strawberry.field(description="All public revenue paid out.")
    spent: Decimal = strawberry.field(description="All the branch has spent of its funds.")
    _compound_id: strawberry.Private[int]

    @classmethod
    def of(cls, balances: Balances) -> Self:
        k = FundAccountKind
        return cls(
            branch_funds=as_yuan(balances.of(k.BRANCH_FUNDS)),
            public_revenue=as_yuan(balances.of(k.PUBLIC_REVENUE)),
            granted=as_yuan(-balances.of(k.STREET_GRANTS)),
            revenue=as_yuan(-balances.of(k.REVENUE_SOURCES)),
            distributed=as_yuan(balances.of(k.DISTRIBUTED)),
            spent=as_yuan(balances.of(k.SPENT)),
            _compound_id=balances.compound_id,
        )

    @strawberry.field(description="The compound (or grid) whose ledger it is.")
    async def compound(self, info: Info) -> OrganisationType | None:
        return await visible_organisation(info, self._compound_id)


register_node("fund_entry", FundEntryType, loaders.fund_entry)
