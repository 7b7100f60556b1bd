"""The love bank (愛心銀行): volunteer service earns points, rewards at a station spend them.

Points live in a double-entry ledger. Every movement is one ledger entry with lines that sum
to zero: earning moves points from the compound's issuance account to the volunteer's account;
redeeming moves them from the person's account to the station's redemption account. A balance
is never stored: it is the sum of an account's lines.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, enum_column, utcnow


class ServiceStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"


class AccountKind(StrEnum):
    ISSUANCE = "ISSUANCE"
    PERSON = "PERSON"
    REDEMPTION = "REDEMPTION"


class LedgerEntryKind(StrEnum):
    EARN = "EARN"
    REDEEM = "REDEEM"


class VolunteerService(SQLModel, table=True):
    """Service recorded by a team leader or the branch; it earns points once the volunteer
    confirms it."""

    __tablename__ = "volunteer_service"
    __table_args__ = (
        sa.CheckConstraint("minutes BETWEEN 1 AND 1440", name="ck_volunteer_service_minutes"),
        sa.CheckConstraint("points > 0", name="ck_volunteer_service_points"),
        sa.Index("ix_volunteer_service_compound", "compound_id", "id"),
        sa.Index("ix_volunteer_service_volunteer", "volunteer_id", "status", "id"),
        sa.Index("ix_volunteer_service_status", "status", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    compound_id: int = Field(foreign_key="organisation.id")
    volunteer_id: int = Field(foreign_key="person.id")
    recorded_by_id: int = Field(foreign_key="person.id")
    activity: str = Field(max_length=200)
    # Whole minutes, so hours add up exactly on every backend.
    minutes: int
    occurred_on: date
    points: int
    status: ServiceStatus = Field(default=ServiceStatus.PENDING, sa_type=enum_column(ServiceStatus))
    confirmed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Reward(SQLModel, table=True):
    """Something a station gives for points; STOCK None means no limit."""

    __tablename__ = "reward"
    __table_args__ = (
        sa.CheckConstraint("cost > 0", name="ck_reward_cost"),
        sa.CheckConstraint("stock IS NULL OR stock >= 0", name="ck_reward_stock"),
        sa.Index("ix_reward_station", "station_id", "id"),
        sa.Index("ix_reward_compound", "compound_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(foreign_key="station.id")
    # The station's compound, kept here so rewards are scoped like every compound record.
    compound_id: int = Field(foreign_key="organisation.id")
    name: str = Field(max_length=100)
    cost: int
    stock: int | None = None
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PointsAccount(SQLModel, table=True):
    """An account of the ledger: a compound's issuance, a person's points, a station's
    redemptions. Exactly one owner column is set, as KIND says; each owner has one account."""

    __tablename__ = "points_account"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'ISSUANCE' AND compound_id IS NOT NULL AND person_id IS NULL "
            "AND station_id IS NULL) OR "
            "(kind = 'PERSON' AND person_id IS NOT NULL AND compound_id IS NULL "
            "AND station_id IS NULL) OR "
            "(kind = 'REDEMPTION' AND station_id IS NOT NULL AND compound_id IS NULL "
            "AND person_id IS NULL)",
            name="ck_points_account_owner",
        ),
        sa.Index("uq_points_account_compound", "compound_id", unique=True),
        sa.Index("uq_points_account_person", "person_id", unique=True),
        sa.Index("uq_points_account_station", "station_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: AccountKind = Field(sa_type=enum_column(AccountKind))
    compound_id: int | None = Field(default=None, foreign_key="organisation.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    station_id: int | None = Field(default=None, foreign_key="station.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class LedgerEntry(SQLModel, table=True):
    """One movement of points; its lines sum to zero."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.CheckConstraint("quantity IS NULL OR quantity > 0", name="ck_ledger_entry_quantity"),
        # The ranking and the compound totals: entries of a kind in a compound over a period.
        sa.Index("ix_ledger_entry_compound_kind", "compound_id", "kind", "occurred_on", "id"),
        # One entry per service at most: a second confirmation cannot post twice.
        sa.Index("uq_ledger_entry_service", "service_id", unique=True),
        sa.Index("ix_ledger_entry_reward", "reward_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: LedgerEntryKind = Field(sa_type=enum_column(LedgerEntryKind))
    # Where the points were earned or spent.
    compound_id: int = Field(foreign_key="organisation.id")
    # The day the service took place (EARN) or of the redemption (REDEEM).
    occurred_on: date
    service_id: int | None = Field(default=None, foreign_key="volunteer_service.id")
    reward_id: int | None = Field(default=None, foreign_key="reward.id")
    station_id: int | None = Field(default=None, foreign_key="station.id")
    quantity: int | None = None
    memo: str = Field(default="", max_length=300)
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class LedgerLine(SQLModel, table=True):
    """AMOUNT points into ACCOUNT (negative: out of it)."""

    __tablename__ = "ledger_line"
    __table_args__ = (
        sa.CheckConstraint("amount <> 0", name="ck_ledger_line_amount"),
        # An account's balance and its passbook, newest first.
        sa.Index("ix_ledger_line_account", "account_id", "id", "amount"),
        sa.Index("ix_ledger_line_entry", "entry_id", "account_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="ledger_entry.id")
    account_id: int = Field(foreign_key="points_account.id")
    amount: int
