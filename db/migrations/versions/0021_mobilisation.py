"""mobilisation (一聲令下, 應急動員): a task sent to the party members, volunteers and
service-post holders of a subtree, and one row per person called on with their answer

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

URGENCIES = ("ROUTINE", "URGENT", "EMERGENCY")
STATUSES = ("OPEN", "CLOSED")
GROUPS = ("PARTY_MEMBER", "SERVICE_POST_HOLDER", "VOLUNTEER")
OUTCOMES = ("DONE", "PARTLY_DONE", "UNABLE")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        "mobilisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("urgency", _enum(URGENCIES, "mobilisationurgency"), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("respond_by", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("status", _enum(STATUSES, "mobilisationstatus"), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sender_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["target_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["sent_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mobilisation_target", "mobilisation", ["target_id", "id"])
    op.create_index("ix_mobilisation_sender", "mobilisation", ["sender_id", "id"])
    op.create_index("ix_mobilisation_status", "mobilisation", ["status", "id"])

    op.create_table(
        "mobilisation_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mobilisation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("group", _enum(GROUPS, "mobilisationgroup"), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("response_seconds", sa.Integer(), nullable=True),
        sa.Column("reported_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("report", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("outcome", _enum(OUTCOMES, "mobilisationoutcome"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "reported_at IS NULL OR acknowledged_at IS NOT NULL",
            name="ck_mobilisation_recipient_ack_first",
        ),
        sa.ForeignKeyConstraint(["mobilisation_id"], ["mobilisation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_mobilisation_recipient_person",
        "mobilisation_recipient",
        ["mobilisation_id", "person_id"],
        unique=True,
    )
    op.create_index(
        "ix_mobilisation_recipient_person",
        "mobilisation_recipient",
        ["person_id", "mobilisation_id"],
    )
    op.create_index(
        "ix_mobilisation_recipient_compound",
        "mobilisation_recipient",
        ["compound_id", "mobilisation_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_mobilisation_recipient_compound", table_name="mobilisation_recipient")
    op.drop_index("ix_mobilisation_recipient_person", table_name="mobilisation_recipient")
    op.drop_index("uq_mobilisation_recipient_person", table_name="mobilisation_recipient")
    op.drop_table("mobilisation_recipient")
    op.drop_index("ix_mobilisation_status", table_name="mobilisation")
    op.drop_index("ix_mobilisation_sender", table_name="mobilisation")
    op.drop_index("ix_mobilisation_target", table_name="mobilisation")
    op.drop_table("mobilisation")
