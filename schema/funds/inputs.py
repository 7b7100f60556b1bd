"""Inputs of funds: one per mutation, plus the list filter."""

from __future__ import annotations

from datetime import date

import strawberry

import schema.funds.enums  # noqa: F401  (GraphQL names of the enums below)
from db.models import FundCategory, FundEntryKind
from resolvers.funds import actions, reversals, spending, statements
from resolvers.funds import queries as funds
from schema.ids import decode_id, decode_optional

AMOUNT = "In fen (分; 1 yuan = 100 fen): more than 0, at most 100,000,000."
MEMO = "A note for the ledger (at most 300 characters)."


@strawberry.input(description="Narrow a list of fund entries; all given conditions apply.")
class FundEntryFilter:
    compound: strawberry.ID | None = strawberry.field(
        default=None,
        description="Of this compound's ledger (or, naming a GRID, of its joint branch's).",
    )
    kind: FundEntryKind | None = strawberry.field(default=None, description="Of this kind.")
    category: FundCategory | None = strawberry.field(default=None, description="Of this category.")
    year: int | None = strawberry.field(default=None, description="For this year.")

    def to_domain(self) -> funds.FundEntryFilter:
        return funds.FundEntryFilter(
            compound_id=decode_optional(self.compound, "Organisation"),
            kind=self.kind,
            category=self.category,
            year=self.year,
        )


@strawberry.input(description="Funds the street grants a party branch.")
class GrantFundsInput:
    branch: strawberry.ID = strawberry.field(
        description="The compound's PARTY_BRANCH, or a grid's joint branch."
    )
    category: FundCategory = strawberry.field(
        description="START_UP (once per branch) or RUNNING (once a year)."
    )
    amount: int | None = strawberry.field(
        default=None,
        description=f"{AMOUNT} When omitted: 300,000 (3,000 yuan) for START_UP, 200,000 "
        "(2,000 yuan) for RUNNING.",
    )
    year: int | None = strawberry.field(
        default=None,
        description="The year a RUNNING fund is for (the grant day's year, the one before or "
        "after); the grant day's year when omitted.",
    )
    granted_on: date | None = strawberry.field(
        default=None, description="The day it was paid: today (the default) or up to a year back."
    )
    memo: str | None = strawberry.field(default=None, description=MEMO)

    def to_domain(self) -> actions.GrantFunds:
        return actions.GrantFunds(
            branch_id=decode_id(self.branch, "Organisation"),
            category=self.category,
            amount=self.amount,
            year=self.year,
            granted_on=self.granted_on,
            memo=self.memo,
        )


@strawberry.input(description="Public revenue the compound received (公共收益).")
class RecordPublicRevenueInput:
    body: strawberry.ID = strawberry.field(
        description="The compound's OWNERS_COMMITTEE or PARTY_BRANCH recording it; you must "
        "hold a position in it."
    )
    category: FundCategory = strawberry.field(
        description="ADVERTISING, PARKING, VENUE_RENTAL or OTHER_REVENUE."
    )
    amount: int = strawberry.field(description=AMOUNT)
    received_on: date | None = strawberry.field(
        default=None,
        description="The day it was received: today (the default) or up to a year back.",
    )
    memo: str | None = strawberry.field(default=None, description=MEMO)

    def to_domain(self) -> actions.RecordPublicRevenue:
        return actions.RecordPublicRevenue(
            body_id=decode_id(self.body, "Organisation"),
            category=self.category,
            amount=self.amount,
            received_on=self.received_on,
            memo=self.memo,
        )


@strawberry.input(description="Public revenue paid out (分配): never more than is held.")
class DistributeRevenueInput:
    body: strawberry.ID = strawberry.field(
        description="The compound's OWNERS_COMMITTEE or PARTY_BRANCH paying it; you must hold "
        "a position in it."
    )
    category: FundCategory = strawberry.field(
        description="OWNER_DIVIDEND, MAINTENANCE, COMMUNITY_SERVICES or OTHER_USE."
    )
    amount: int = strawberry.field(description=AMOUNT)
    paid_on: date | None = strawberry.field(
        default=None,
        description="The day it was paid: today (the default) or up to a year back.",
    )
    memo: str | None = strawberry.field(default=None, description=MEMO)

    def to_domain(self) -> actions.DistributeRevenue:
        return actions.DistributeRevenue(
            body_id=decode_id(self.body, "Organisation"),
            category=self.category,
            amount=self.amount,
            paid_on=self.paid_on,
            memo=self.memo,
        )


@strawberry.input(description="Publish a year's fund statement as a FINANCES notice.")
class PublishFundStatementInput:
    publisher: strawberry.ID = strawberry.field(
        description="The compound's PARTY_BRANCH or OWNERS_COMMITTEE publishing it, or a joint "
        "branch (聯合黨支部, with `compound`); you must hold a position in it."
    )
    year: int | None = strawberry.field(
        default=None, description="The year it covers (up to today); this year when omitted."
    )
    published_until: date | None = strawberry.field(
        default=None,
        description="The first day it is no longer shown (after today, at most three years "
        "on); null: shown until withdrawn.",
    )
    compound: strawberry.ID | None = strawberry.field(
        default=None,
        description="The compound it is published to: required when the publisher is a joint "
        "branch (聯合黨支部), which must serve it; its statement shows the joint branch's funds "
        "(its ledger at the grid, shared by the compounds it serves) and that compound's "
        "public revenue. Otherwise BAD_USER_INPUT.",
    )

    def to_domain(self) -> statements.PublishFundStatement:
        return statements.PublishFundStatement(
            publisher_id=decode_id(self.publisher, "Organisation"),
            year=self.year,
            published_until=self.published_until,
            compound_id=decode_optional(self.compound, "Organisation"),
        )


@strawberry.input(description="What a party branch paid for out of its funds (經費使用).")
class SpendBranchFundsInput:
    branch: strawberry.ID = strawberry.field(
        description="The PARTY_BRANCH spending (a compound's, or a grid's joint branch); you "
        "must hold a position in it."
    )
    category: FundCategory = strawberry.field(
        description="PARTY_ACTIVITIES, RESIDENT_SERVICES, SUPPLIES or OTHER_SPENDING."
    )
    amount: int = strawberry.field(description=f"{AMOUNT} At most what the branch holds.")
    purpose: str = strawberry.field(description="What it paid for (at most 300 characters).")
    spent_on: date | None = strawberry.field(
        default=None, description="The day it was paid: today (the default) or up to a year back."
    )
    issue: strawberry.ID | None = strawberry.field(
        default=None, description="An issue of a compound the branch serves, if it was for one."
    )
    mobilisation: strawberry.ID | None = strawberry.field(
        default=None, description="A call to action the branch sent, if it was for one."
    )

    def to_domain(self) -> spending.SpendBranchFunds:
        return spending.SpendBranchFunds(
            branch_id=decode_id(self.branch, "Organisation"),
            category=self.category,
            amount=self.amount,
            purpose=self.purpose,
            spent_on=self.spent_on,
            issue_id=decode_optional(self.issue, "Issue"),
            mobilisation_id=decode_optional(self.mobilisation, "Mobilisation"),
        )


@strawberry.input(description="Reverse a wrong fund entry (沖正) by a new entry that names it.")
class ReverseFundEntryInput:
    entry: strawberry.ID = strawberry.field(description="The FundEntry to reverse.")
    reason: str = strawberry.field(description="Why it is wrong (at most 300 characters).")

    def to_domain(self) -> reversals.ReverseFundEntry:
        return reversals.ReverseFundEntry(
            entry_id=decode_id(self.entry, "FundEntry"), reason=self.reason
        )
