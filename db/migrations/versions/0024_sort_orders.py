"""sort orders: issue.status_rank (the STATUS order) with its indexes, and the indexes behind
the people, positions and organisations orders

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# STATUS_RANK of db/models/enums.py as it stands at this revision (a migration must not
# change with the models).
RANKS = {
    "REPORTED": 1,
    "CLAIMED": 2,
    "IN_PROGRESS": 3,
    "REOPENED": 4,
    "ESCALATED": 5,
    "RESOLVED": 6,
    "CLOSED": 7,
    "REJECTED": 8,
    "DUPLICATE": 9,
}
INDEXES = [
    ("ix_issue_compound_status_rank", "issue", ["compound_id", "status_rank", "created_at", "id"]),
    ("ix_issue_status_rank", "issue", ["status_rank", "created_at", "id"]),
    ("ix_person_created", "person", ["created_at", "id"]),
    ("ix_person_residence_created", "person", ["residence_compound_id", "created_at", "id"]),
    ("ix_position_org_start", "position", ["organisation_id", "start_date", "id"]),
    ("ix_position_start", "position", ["start_date", "id"]),
    ("ix_organisation_created", "organisation", ["created_at", "id"]),
]


def upgrade() -> None:
    with op.batch_alter_table("issue") as batch_op:
        batch_op.add_column(
            sa.Column("status_rank", sa.Integer(), nullable=False, server_default="0")
        )
    issue = sa.table("issue", sa.column("status", sa.String()), sa.column("status_rank"))
    op.execute(issue.update().values(status_rank=sa.case(RANKS, value=issue.c.status, else_=0)))
    with op.batch_alter_table("issue") as batch_op:
        # The models give the value on every write; the default only carried existing rows.
        batch_op.alter_column("status_rank", server_default=None)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("issue") as batch_op:
        batch_op.drop_column("status_rank")
