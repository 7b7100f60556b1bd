"""resident problem list and joint meetings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("building_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "PHOTO_REPORT",
                "MICRO_WISH",
                "HELP_REQUEST",
                "COMPLAINT",
                "SUGGESTION",
                "DOOR_TO_DOOR_VISIT",
                "HOTLINE",
                name="issuechannel",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "PARKING",
                "ILLEGAL_CONSTRUCTION",
                "EV_CHARGING",
                "DRAINAGE",
                "ELEVATOR",
                "OLD_COMPOUND_RENOVATION",
                "ENVIRONMENT",
                "ELDER_CARE",
                "CHILDCARE",
                "SAFETY",
                "OTHER",
                name="issuecategory",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "LOW",
                "NORMAL",
                "HIGH",
                "URGENT",
                name="issuepriority",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("priority_rank", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "REPORTED",
                "CLAIMED",
                "IN_PROGRESS",
                "RESOLVED",
                "CLOSED",
                "REOPENED",
                "ESCALATED",
                "REJECTED",
                "DUPLICATE",
                name="issuestatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("assignee_organisation_id", sa.Integer(), nullable=True),
        sa.Column("assignee_person_id", sa.Integer(), nullable=True),
        sa.Column("due_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("claim_seconds", sa.Integer(), nullable=True),
        sa.Column("resolve_seconds", sa.Integer(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "satisfaction IS NULL OR (satisfaction BETWEEN 1 AND 5)", name="ck_issue_satisfaction"
        ),
        sa.ForeignKeyConstraint(
            ["assignee_organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["building_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issue_assignee_status", ["assignee_organisation_id", "status", "id"], unique=False
        )
        batch_op.create_index("ix_issue_category", ["category", "id"], unique=False)
        batch_op.create_index(
            "ix_issue_compound_created", ["compound_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_issue_compound_status", ["compound_id", "status", "id"], unique=False
        )
        batch_op.create_index("ix_issue_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            "ix_issue_priority", ["priority_rank", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_issue_reporter", ["reporter_id", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_issue_status_due", ["status", "due_at", "id"], unique=False)

    op.create_table(
        "joint_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("scheduled_for", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum("SCHEDULED", "HELD", name="meetingstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("convened_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["convened_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("joint_meeting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_meeting_org_time", ["organisation_id", "scheduled_for", "id"], unique=False
        )

    op.create_table(
        "issue_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "REPORT",
                "STATUS_CHANGE",
                "COMMENT",
                "CLAIM",
                "ASSIGNMENT",
                "ESCALATION",
                "DECISION",
                "ATTACHMENT",
                name="issueeventkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("actor_organisation_id", sa.Integer(), nullable=True),
        sa.Column(
            "from_status",
            sa.Enum(
                "REPORTED",
                "CLAIMED",
                "IN_PROGRESS",
                "RESOLVED",
                "CLOSED",
                "REOPENED",
                "ESCALATED",
                "REJECTED",
                "DUPLICATE",
                name="issuestatus",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "REPORTED",
                "CLAIMED",
                "IN_PROGRESS",
                "RESOLVED",
                "CLOSED",
                "REOPENED",
                "ESCALATED",
                "REJECTED",
                "DUPLICATE",
                name="issuestatus",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("attachment_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["actor_person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["joint_meeting.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("issue_event", schema=None) as batch_op:
        batch_op.create_index("ix_issue_event_issue", ["issue_id", "id"], unique=False)

    op.create_table(
        "joint_meeting_item",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decided_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issue.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["joint_meeting.id"],
        ),
        sa.PrimaryKeyConstraint("meeting_id", "issue_id"),
    )
    with op.batch_alter_table("joint_meeting_item", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_item_issue", ["issue_id"], unique=False)

    op.create_table(
        "joint_meeting_participant",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["joint_meeting.id"],
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("meeting_id", "organisation_id"),
    )


def downgrade() -> None:
    op.drop_table("joint_meeting_participant")
    with op.batch_alter_table("joint_meeting_item", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_item_issue")

    op.drop_table("joint_meeting_item")
    with op.batch_alter_table("issue_event", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_event_issue")

    op.drop_table("issue_event")
    with op.batch_alter_table("joint_meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_org_time")

    op.drop_table("joint_meeting")
    with op.batch_alter_table("issue", schema=None) as batch_op:
        batch_op.drop_index("ix_issue_status_due")
        batch_op.drop_index("ix_issue_reporter")
        batch_op.drop_index("ix_issue_priority")
        batch_op.drop_index("ix_issue_created")
        batch_op.drop_index("ix_issue_compound_status")
        batch_op.drop_index("ix_issue_compound_created")
        batch_op.drop_index("ix_issue_category")
        batch_op.drop_index("ix_issue_assignee_status")

    op.drop_table("issue")
