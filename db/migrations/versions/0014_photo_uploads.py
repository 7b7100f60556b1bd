"""photo uploads: cleaned images for issue reports and comments, owned until attached

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploader_person_id", sa.Integer(), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column(
            "thumbnail_content_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("issue_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["issue_event_id"], ["issue_event.id"]),
        sa.ForeignKeyConstraint(["issue_id"], ["issue.id"]),
        sa.ForeignKeyConstraint(["uploader_person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("storage_key"),
    )
    with op.batch_alter_table("upload") as batch_op:
        batch_op.create_index(
            "ix_upload_event_expiry", ["issue_event_id", "expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_upload_uploader_person_id"), ["uploader_person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("upload") as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_uploader_person_id"))
        batch_op.drop_index("ix_upload_event_expiry")
    op.drop_table("upload")
