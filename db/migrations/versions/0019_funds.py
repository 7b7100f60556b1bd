"""funds (經費與公共收益): street grants to a compound's branch, public revenue and its
distribution, in a double-entry ledger (accounts, entries, lines)

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCOUNT_KINDS = (
    "STREET_GRANTS",
    "BRANCH_FUNDS",
    "REVENUE_SOURCES",
    "PUBLIC_REVENUE",
    "DISTRIBUTED",
)
ENTRY_KINDS = ("GRANT", "REVENUE", "DISTRIBUTION")
CATEGORIES = (
    "START_UP",
    "RUNNING",
    "ADVERTISING",
    "PARKING",
    "VENUE_RENTAL",
    "OTHER_REVENUE",
    "OWNER_DIVIDEND",
    "MAINTENANCE",
    "COMMUNITY_SERVICES",
    "OTHER_USE",
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        "fund_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(ACCOUNT_KINDS, "fundaccountkind"), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_fund_account_compound_kind", "fund_account", ["compound_id", "kind"], unique=True
    )

    op.create_table(
        "fund_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(ENTRY_KINDS, "fundentrykind"), nullable=False),
        sa.Column("category", _enum(CATEGORIES, "fundcategory"), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("memo", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name="ck_fund_entry_amount"),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["body_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fund_entry_compound", "fund_entry", ["compound_id", "id"])
    op.create_index("ix_fund_entry_compound_kind", "fund_entry", ["compound_id", "kind", "id"])
    op.create_index(
        "ix_fund_entry_compound_category", "fund_entry", ["compound_id", "category", "id"]
    )
    op.create_index("ix_fund_entry_compound_year", "fund_entry", ["compound_id", "year", "id"])
    op.create_index("ix_fund_entry_occurred", "fund_entry", ["compound_id", "occurred_on", "id"])
    op.create_index(
        "uq_fund_entry_start_up",
        "fund_entry",
        ["compound_id"],
        unique=True,
        sqlite_where=sa.text("category = 'START_UP'"),
        postgresql_where=sa.text("category = 'START_UP'"),
    )
    op.create_index(
        "uq_fund_entry_running",
        "fund_entry",
        ["compound_id", "year"],
        unique=True,
        sqlite_where=sa.text("category = 'RUNNING'"),
        postgresql_where=sa.text("category = 'RUNNING'"),
    )

    op.create_table(
        "fund_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount <> 0", name="ck_fund_line_amount"),
        sa.ForeignKeyConstraint(["entry_id"], ["fund_entry.id"]),
        sa.ForeignKeyConstraint(["account_id"], ["fund_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_fund_line_account", "fund_line", ["account_id", "id", "amount"])
    op.create_index("ix_fund_line_entry", "fund_line", ["entry_id", "account_id"])


def downgrade() -> None:
    op.drop_index("ix_fund_line_entry", table_name="fund_line")
    op.drop_index("ix_fund_line_account", table_name="fund_line")
    op.drop_table("fund_line")
    op.drop_index("uq_fund_entry_running", table_name="fund_entry")
    op.drop_index("uq_fund_entry_start_up", table_name="fund_entry")
    op.drop_index("ix_fund_entry_occurred", table_name="fund_entry")
    op.drop_index("ix_fund_entry_compound_year", table_name="fund_entry")
    op.drop_index("ix_fund_entry_compound_category", table_name="fund_entry")
    op.drop_index("ix_fund_entry_compound_kind", table_name="fund_entry")
    op.drop_index("ix_fund_entry_compound", table_name="fund_entry")
    op.drop_table("fund_entry")
    op.drop_index("uq_fund_account_compound_kind", table_name="fund_account")
    op.drop_table("fund_account")
