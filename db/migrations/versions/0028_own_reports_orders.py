"""own reports orders: the indexes behind the STATUS and PRIORITY orders of the caller's own
reports (the `own` scope branch of issues), so that branch reads a page, not every report

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0028"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("ix_issue_reporter_status_rank", ["reporter_id", "status_rank", "created_at", "id"]),
    ("ix_issue_reporter_priority", ["reporter_id", "priority_rank", "created_at", "id"]),
]


def upgrade() -> None:
    for name, columns in INDEXES:
        op.create_index(name, "issue", columns, unique=False)


def downgrade() -> None:
    for name, _ in reversed(INDEXES):
        op.drop_index(name, table_name="issue")
