"""outbox events: what someone should hear of, written in the transaction of its change

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PATH_TYPE = sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")
EVENT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "outbox_event",
        sa.Column("id", EVENT_ID, nullable=False),
        sa.Column("occurred_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("resource_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("resource_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("compound_id", sa.Integer(), nullable=True),
        sa.Column("organisation_path", PATH_TYPE, nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("outbox_event") as batch_op:
        batch_op.create_index("ix_outbox_compound_id", ["compound_id", "id"], unique=False)
        batch_op.create_index(
            "ix_outbox_resource", ["resource_type", "resource_id", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_event_audit_seq"), ["audit_seq"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox_event") as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_event_audit_seq"))
        batch_op.drop_index("ix_outbox_resource")
        batch_op.drop_index("ix_outbox_compound_id")
    op.drop_table("outbox_event")
