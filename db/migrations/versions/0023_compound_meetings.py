"""compound meetings (小區黨支部先議): branch and owners' committee meetings, their agenda
items with resolutions, and attendance

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    op.create_table(
        "compound_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(("BRANCH", "COMMITTEE"), "compoundmeetingkind"), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("scheduled_for", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column(
            "status", _enum(("SCHEDULED", "HELD", "CANCELLED"), "meetingstatus"), nullable=False
        ),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("held_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("convened_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["body_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["convened_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_compound_meeting_compound",
        "compound_meeting",
        ["compound_id", "scheduled_for", "id"],
    )
    op.create_index(
        "ix_compound_meeting_kind",
        "compound_meeting",
        ["compound_id", "kind", "scheduled_for", "id"],
    )
    op.create_index(
        "ix_compound_meeting_status",
        "compound_meeting",
        ["compound_id", "status", "scheduled_for", "id"],
    )
    op.create_index("ix_compound_meeting_body", "compound_meeting", ["body_id", "id"])

    op.create_table(
        "compound_meeting_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("branch_item_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            _enum(("ADOPTED", "REJECTED", "DEFERRED"), "resolutionoutcome"),
            nullable=True,
        ),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_abstain", sa.Integer(), nullable=True),
        sa.Column("resolved_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0) AND (votes_against IS NULL OR "
            "votes_against >= 0) AND (votes_abstain IS NULL OR votes_abstain >= 0)",
            name="ck_compound_meeting_item_votes",
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["compound_meeting.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["issue_id"], ["issue.id"]),
        sa.ForeignKeyConstraint(["branch_item_id"], ["compound_meeting_item.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_compound_meeting_item_meeting", "compound_meeting_item", ["meeting_id", "id"]
    )
    op.create_index("ix_compound_meeting_item_issue", "compound_meeting_item", ["issue_id", "id"])
    op.create_index(
        "ix_compound_meeting_item_branch_item", "compound_meeting_item", ["branch_item_id"]
    )

    op.create_table(
        "compound_meeting_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            _enum(("PRESENT", "ABSENT", "SITTING_IN"), "attendancestatus"),
            nullable=False,
        ),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("recorded_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["compound_meeting.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("meeting_id", "person_id"),
    )
    op.create_index(
        "ix_compound_meeting_attendance_person", "compound_meeting_attendance", ["person_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_compound_meeting_attendance_person", table_name="compound_meeting_attendance")
    op.drop_table("compound_meeting_attendance")
    op.drop_index("ix_compound_meeting_item_branch_item", table_name="compound_meeting_item")
    op.drop_index("ix_compound_meeting_item_issue", table_name="compound_meeting_item")
    op.drop_index("ix_compound_meeting_item_meeting", table_name="compound_meeting_item")
    op.drop_table("compound_meeting_item")
    op.drop_index("ix_compound_meeting_body", table_name="compound_meeting")
    op.drop_index("ix_compound_meeting_status", table_name="compound_meeting")
    op.drop_index("ix_compound_meeting_kind", table_name="compound_meeting")
    op.drop_index("ix_compound_meeting_compound", table_name="compound_meeting")
    op.drop_table("compound_meeting")
