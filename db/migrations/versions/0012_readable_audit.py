"""audit entries keep the record's name as it was; timeline events keep the token used

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

`audit_entry.resource_label` is written at append time so an entry still names its record
after the record is renamed or deleted. It is a display aid derived from the record, like
0009's compound_id, so it is outside the entry's hash: entries hashed before it existed keep
their hashes and verification is unchanged. Older entries have none (readers fall back to
the record's current name). `issue_event.actor_token_id` names the token a partner unit
acted through, so the timeline shows the unit and its token rather than the issuer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_NO_UPDATE = """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"""
SQLITE_NO_DELETE = """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END"""


def upgrade() -> None:
    op.add_column("audit_entry", sa.Column("resource_label", sa.String(200), nullable=True))
    op.add_column("issue_event", sa.Column("actor_token_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issue_event") as batch:
        batch.drop_column("actor_token_id")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table to drop a column: step around the triggers meanwhile.
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute("DROP TRIGGER audit_entry_no_delete")
        with op.batch_alter_table("audit_entry") as batch:
            batch.drop_column("resource_label")
        op.execute(SQLITE_NO_UPDATE)
        op.execute(SQLITE_NO_DELETE)
    else:
        op.drop_column("audit_entry", "resource_label")
