"""Indexes behind the audit log's operation and token filters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_operation", "audit_entry", ["operation", "seq"])
    op.create_index("ix_audit_token", "audit_entry", ["actor_token_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_token", table_name="audit_entry")
    op.drop_index("ix_audit_operation", table_name="audit_entry")
