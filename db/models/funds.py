"""Funds (經費與公共收益): the start-up and yearly running funds the street grants a party
branch (啟動經費, 運轉經費) and what the branch spends of them, and the compound's public revenue
(公共收益: advertising, parking, venue rental) with its distribution.

Money lives in a double-entry ledger like the love bank's, in whole fen (分, 1 yuan = 100
fen) so sums are exact on every backend. Every movement is one entry with two lines that sum
to zero: a grant moves money from the ledger's STREET_GRANTS account (what the street has
granted, a negative balance) to BRANCH_FUNDS; the branch's spending moves it from BRANCH_FUNDS
to SPENT; public revenue moves from REVENUE_SOURCES to PUBLIC_REVENUE; a distribution moves
from PUBLIC_REVENUE to DISTRIBUTED. A balance is never stored: it is the sum of an account's
lines, and the holding accounts (BRANCH_FUNDS, PUBLIC_REVENUE) never go below zero.

An entry is never edited or deleted: a wrong one is reversed by a REVERSAL entry that names it
(`reverses_id`, unique: once) and moves its amount back, with the reason as its memo.

A ledger belongs to a compound, or to the grid of a joint branch (聯合黨支部, a PARTY_BRANCH of
a GRID serving its small compounds): `ledger_id` names that organisation, and an entry's
`compound_id` is the compound (NULL on a joint branch's ledger, which lies above them).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class FundAccountKind(StrEnum):
    STREET_GRANTS = "STREET_GRANTS"  # source: what the street granted the branch (≤ 0)
    BRANCH_FUNDS = "BRANCH_FUNDS"  # the branch's funds (≥ 0)
    REVENUE_SOURCES = "REVENUE_SOURCES"  # source: public revenue earned (≤ 0)
    PUBLIC_REVENUE = "PUBLIC_REVENUE"  # public revenue held, not yet distributed (≥ 0)
    DISTRIBUTED = "DISTRIBUTED"  # public revenue paid out (≥ 0)
    SPENT = "SPENT"  # the branch's funds spent (≥ 0)


class FundEntryKind(StrEnum):
    GRANT = "GRANT"
    REVENUE = "REVENUE"
    DISTRIBUTION = "DISTRIBUTION"
    SPENDING = "SPENDING"
    REVERSAL = "REVERSAL"


class FundCategory(StrEnum):
    START_UP = "START_UP"  # 啟動經費: once, for a new branch
    RUNNING = "RUNNING"  # 運轉經費: once a year
    ADVERTISING = "ADVERTISING"  # 廣告收益
    PARKING = "PARKING"  # 停車收益
    VENUE_RENTAL = "VENUE_RENTAL"  # 場所租賃
    OTHER_REVENUE = "OTHER_REVENUE"
    OWNER_DIVIDEND = "OWNER_DIVIDEND"  # 業主分紅
    MAINTENANCE = "MAINTENANCE"  # 維修
    COMMUNITY_SERVICES = "COMMUNITY_SERVICES"  # 公益服務
    OTHER_USE = "OTHER_USE"
    PARTY_ACTIVITIES = "PARTY_ACTIVITIES"  # 黨組織活動
    RESIDENT_SERVICES = "RESIDENT_SERVICES"  # 為民服務
    SUPPLIES = "SUPPLIES"  # 辦公及活動用品
    OTHER_SPENDING = "OTHER_SPENDING"


# Which categories each kind of entry takes.
CATEGORIES: dict[FundEntryKind, frozenset[FundCategory]] = {
    FundEntryKind.GRANT: frozenset({FundCategory.START_UP, FundCategory.RUNNING}),
    FundEntryKind.REVENUE: frozenset(
        {
            FundCategory.ADVERTISING,
            FundCategory.PARKING,
            FundCategory.VENUE_RENTAL,
            FundCategory.OTHER_REVENUE,
        }
    ),
    FundEntryKind.DISTRIBUTION: frozenset(
        {
            FundCategory.OWNER_DIVIDEND,
            FundCategory.MAINTENANCE,
            FundCategory.COMMUNITY_SERVICES,
            FundCategory.OTHER_USE,
        }
    ),
    FundEntryKind.SPENDING: frozenset(
        {
            FundCategory.PARTY_ACTIVITIES,
            FundCategory.RESIDENT_SERVICES,
            FundCategory.SUPPLIES,
            FundCategory.OTHER_SPENDING,
        }
    ),
}


class FundAccount(SQLModel, table=True):
    """One account of a fund ledger; each ledger has at most one of each kind."""

    __tablename__ = "fund_account"
    __table_args__ = (sa.Index("uq_fund_account_ledger_kind", "ledger_id", "kind", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    # The ledger's organisation: a compound, or the grid of a joint branch.
    ledger_id: int = Field(foreign_key="organisation.id")
    kind: FundAccountKind = Field(sa_type=enum_column(FundAccountKind))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class FundEntry(SQLModel, table=True):
    """One movement of money in a ledger; its two lines sum to zero."""

    __tablename__ = "fund_entry"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="ck_fund_entry_amount"),
        # A compound's journal, newest first, whole or of one kind.
        sa.Index("ix_fund_entry_compound", "compound_id", "id"),
        sa.Index("ix_fund_entry_compound_kind", "compound_id", "kind", "id"),
        sa.Index("ix_fund_entry_compound_category", "compound_id", "category", "id"),
        sa.Index("ix_fund_entry_compound_year", "compound_id", "year", "id"),
        # Sums over a period (statements, indicators).
        sa.Index("ix_fund_entry_occurred", "compound_id", "occurred_on", "id"),
        # A ledger's journal (a joint branch's lies at its grid, in no compound).
        sa.Index("ix_fund_entry_ledger", "ledger_id", "id"),
        # An entry is reversed at most once. (A second start-up or running fund is refused
        # under the lock of the branch's account: a reversed grant may be granted again.)
        sa.Index("uq_fund_entry_reverses", "reverses_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The ledger: the compound, or the grid of a joint branch.
    ledger_id: int = Field(foreign_key="organisation.id")
    # The compound the money is of; None on a joint branch's ledger (it lies above them).
    compound_id: int | None = Field(default=None, foreign_key="organisation.id")
    # The body whose money it is: the party branch for a grant or its spending, the owners'
    # committee or the branch that recorded revenue or paid it out; a reversal's original's.
    body_id: int = Field(foreign_key="organisation.id")
    kind: FundEntryKind = Field(sa_type=enum_column(FundEntryKind))
    category: FundCategory = Field(sa_type=enum_column(FundCategory))
    # In fen (分).
    amount: int
    # The year the money is for (a running grant's year; otherwise the year it moved).
    year: int
    occurred_on: date
    # A spending's purpose; a reversal's reason.
    memo: str = Field(default="", max_length=300)
    # What a spending was for, if anything on record: an issue of a compound the branch
    # serves, or a call to action (activity) the branch sent.
    issue_id: int | None = Field(default=None, foreign_key="issue.id")
    mobilisation_id: int | None = Field(default=None, foreign_key="mobilisation.id")
    # The entry a REVERSAL reverses.
    reverses_id: int | None = Field(default=None, foreign_key="fund_entry.id")
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class FundLine(SQLModel, table=True):
    """AMOUNT fen into ACCOUNT (negative: out of it)."""

    __tablename__ = "fund_line"
    __table_args__ = (
        sa.CheckConstraint("amount <> 0", name="ck_fund_line_amount"),
        # An account's balance and its lines, newest first.
        sa.Index("ix_fund_line_account", "account_id", "id", "amount"),
        sa.Index("ix_fund_line_entry", "entry_id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="fund_entry.id")
    account_id: int = Field(foreign_key="fund_account.id")
    amount: int
