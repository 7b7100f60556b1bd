"""a firm's issue list reads in creation order through its own index

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30

The "assigned" branch of an issue list (a firm's work in the compounds it serves) named the
assignee but could only be ordered through the global (created_at, id) index, which a firm's
few issues among a city's million leave mostly filtered out. On PostgreSQL the planner also
learns that an issue's assignee and compound go together (a firm's issues lie in the
compounds it serves): estimated as independent, it sorted a firm's thousands of issues
rather than walk the new index for the first twenty.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_issue_assignee_created", "issue", ["assignee_organisation_id", "created_at", "id"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE STATISTICS issue_assignee_compound (dependencies, mcv) "
            "ON assignee_organisation_id, compound_id FROM issue"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS issue_assignee_compound")
    op.drop_index("ix_issue_assignee_created", table_name="issue")
