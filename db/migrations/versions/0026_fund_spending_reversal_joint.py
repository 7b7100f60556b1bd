"""funds: the branch's spending, reversals, and joint branches' ledgers

A ledger now belongs to an organisation (`ledger_id`: the compound, or the grid of a joint
branch); an entry's `compound_id` is NULL on a joint branch's ledger. Entries may link a
spending to an issue or a call to action, and a reversal to the entry it reverses (once).
The start-up and running funds' partial unique indexes go: a reversed grant may be granted
again, so that rule is kept under the lock of the branch's account instead.

Revision ID: 0026
Revises: 0024
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("uq_fund_account_compound_kind", table_name="fund_account")
    with op.batch_alter_table("fund_account") as batch:
        batch.alter_column("compound_id", new_column_name="ledger_id")
    op.create_index(
        "uq_fund_account_ledger_kind", "fund_account", ["ledger_id", "kind"], unique=True
    )

    op.drop_index("uq_fund_entry_start_up", table_name="fund_entry")
    op.drop_index("uq_fund_entry_running", table_name="fund_entry")
    with op.batch_alter_table("fund_entry") as batch:
        batch.add_column(sa.Column("ledger_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("issue_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("mobilisation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reverses_id", sa.Integer(), nullable=True))
        batch.alter_column("compound_id", existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE fund_entry SET ledger_id = compound_id")
    with op.batch_alter_table("fund_entry") as batch:
        batch.alter_column("ledger_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_fund_entry_ledger", "organisation", ["ledger_id"], ["id"])
        batch.create_foreign_key("fk_fund_entry_issue", "issue", ["issue_id"], ["id"])
        batch.create_foreign_key(
            "fk_fund_entry_mobilisation", "mobilisation", ["mobilisation_id"], ["id"]
        )
        batch.create_foreign_key("fk_fund_entry_reverses", "fund_entry", ["reverses_id"], ["id"])
    op.create_index("ix_fund_entry_ledger", "fund_entry", ["ledger_id", "id"])
    op.create_index("uq_fund_entry_reverses", "fund_entry", ["reverses_id"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_fund_entry_reverses", table_name="fund_entry")
    op.drop_index("ix_fund_entry_ledger", table_name="fund_entry")
    # Entries of joint branches' ledgers (no compound) and reversals cannot go back.
    op.execute(
        "DELETE FROM fund_line WHERE entry_id IN (SELECT id FROM fund_entry WHERE compound_id IS NULL OR reverses_id IS NOT NULL)"
    )
    op.execute("DELETE FROM fund_entry WHERE compound_id IS NULL OR reverses_id IS NOT NULL")
    with op.batch_alter_table("fund_entry") as batch:
        batch.drop_constraint("fk_fund_entry_reverses", type_="foreignkey")
        batch.drop_constraint("fk_fund_entry_mobilisation", type_="foreignkey")
        batch.drop_constraint("fk_fund_entry_issue", type_="foreignkey")
        batch.drop_constraint("fk_fund_entry_ledger", type_="foreignkey")
        batch.drop_column("reverses_id")
        batch.drop_column("mobilisation_id")
        batch.drop_column("issue_id")
        batch.drop_column("ledger_id")
        batch.alter_column("compound_id", existing_type=sa.Integer(), nullable=False)
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
    op.drop_index("uq_fund_account_ledger_kind", table_name="fund_account")
    with op.batch_alter_table("fund_account") as batch:
        batch.alter_column("ledger_id", new_column_name="compound_id")
    op.create_index(
        "uq_fund_account_compound_kind", "fund_account", ["compound_id", "kind"], unique=True
    )
