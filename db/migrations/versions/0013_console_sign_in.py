"""console sign-in codes: one-time codes an operator issues, kept only as an HMAC

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("session_token_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["session_token_id"], ["api_token.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code_hash"),
    )
    with op.batch_alter_table("console_sign_in") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_sign_in_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("console_sign_in") as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_sign_in_person_id"))
    op.drop_table("console_sign_in")
