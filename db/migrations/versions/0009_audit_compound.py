"""audit entries name their compound, so a compound's log reads in sequence order

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

The column is derived from the organisation an entry is about (its compound_id), so it is
not part of the entry's hash; the backfill steps around the append-only triggers once, here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
UPDATE audit_entry SET compound_id = (
    SELECT organisation.compound_id FROM organisation
    WHERE organisation.id = audit_entry.organisation_id
)
WHERE organisation_id IS NOT NULL
"""
SQLITE_NO_UPDATE = """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"""


def upgrade() -> None:
    op.add_column("audit_entry", sa.Column("compound_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute(BACKFILL)
        op.execute(SQLITE_NO_UPDATE)
    else:
        op.execute("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_update_delete")
        op.execute(BACKFILL)
        op.execute("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_update_delete")
    op.create_index("ix_audit_compound_seq", "audit_entry", ["compound_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_compound_seq", table_name="audit_entry")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table to drop a column: step around the triggers meanwhile.
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute("DROP TRIGGER audit_entry_no_delete")
        with op.batch_alter_table("audit_entry") as batch:
            batch.drop_column("compound_id")
        op.execute(SQLITE_NO_UPDATE)
        op.execute(
            """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"""
        )
    else:
        op.drop_column("audit_entry", "compound_id")
