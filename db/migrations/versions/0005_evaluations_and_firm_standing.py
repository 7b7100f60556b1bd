"""annual evaluations (紅色物業星級評價) and property firms' standing (黑白名單)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("OPEN", "CLOSED", name="evaluationstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("opens_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("scorer_count", sa.Integer(), nullable=True),
        sa.Column("eligible_count", sa.Integer(), nullable=True),
        sa.Column("weighted_star_sum", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("closes_at > opens_at", name="ck_evaluation_window"),
        sa.ForeignKeyConstraint(["closed_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["opened_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["subject_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_evaluation_compound_subject_year",
        "evaluation",
        ["compound_id", "subject_id", "year"],
        unique=True,
    )
    op.create_index("ix_evaluation_compound_year", "evaluation", ["compound_id", "year", "id"])
    op.create_index("ix_evaluation_subject_year", "evaluation", ["subject_id", "year", "id"])
    op.create_index("ix_evaluation_status_year", "evaluation", ["status", "year", "id"])
    op.create_index("ix_evaluation_year", "evaluation", ["year", "id"])

    op.create_table(
        "evaluation_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("score_count", sa.Integer(), nullable=True),
        sa.Column("star_sum", sa.Integer(), nullable=True),
        sa.CheckConstraint("weight BETWEEN 1 AND 100", name="ck_evaluation_criterion_weight"),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_evaluation_criterion_name",
        "evaluation_criterion",
        ["evaluation_id", "name"],
        unique=True,
    )
    op.create_index(
        "uq_evaluation_criterion_position",
        "evaluation_criterion",
        ["evaluation_id", "position"],
        unique=True,
    )

    op.create_table(
        "evaluation_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("submitted_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_evaluation_submission_person",
        "evaluation_submission",
        ["evaluation_id", "person_id"],
        unique=True,
    )

    op.create_table(
        "evaluation_score",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="ck_evaluation_score_stars"),
        sa.ForeignKeyConstraint(["criterion_id"], ["evaluation_criterion.id"]),
        sa.ForeignKeyConstraint(["submission_id"], ["evaluation_submission.id"]),
        sa.PrimaryKeyConstraint("submission_id", "criterion_id"),
    )
    op.create_index("ix_evaluation_score_criterion", "evaluation_score", ["criterion_id", "stars"])

    op.create_table(
        "firm_standing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("WHITE", "BLACK", name="standinglist", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ck_firm_standing_term"),
        sa.ForeignKeyConstraint(["evaluation_id"], ["evaluation.id"]),
        sa.ForeignKeyConstraint(["firm_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["set_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_firm_standing_firm", "firm_standing", ["firm_id", "id"])
    op.create_index("ix_firm_standing_kind", "firm_standing", ["kind", "id"])
    op.create_index("ix_firm_standing_term", "firm_standing", ["starts_on", "ends_on"])


def downgrade() -> None:
    op.drop_index("ix_firm_standing_term", table_name="firm_standing")
    op.drop_index("ix_firm_standing_kind", table_name="firm_standing")
    op.drop_index("ix_firm_standing_firm", table_name="firm_standing")
    op.drop_table("firm_standing")
    op.drop_index("ix_evaluation_score_criterion", table_name="evaluation_score")
    op.drop_table("evaluation_score")
    op.drop_index("uq_evaluation_submission_person", table_name="evaluation_submission")
    op.drop_table("evaluation_submission")
    op.drop_index("uq_evaluation_criterion_position", table_name="evaluation_criterion")
    op.drop_index("uq_evaluation_criterion_name", table_name="evaluation_criterion")
    op.drop_table("evaluation_criterion")
    op.drop_index("ix_evaluation_year", table_name="evaluation")
    op.drop_index("ix_evaluation_status_year", table_name="evaluation")
    op.drop_index("ix_evaluation_subject_year", table_name="evaluation")
    op.drop_index("ix_evaluation_compound_year", table_name="evaluation")
    op.drop_index("uq_evaluation_compound_subject_year", table_name="evaluation")
    op.drop_table("evaluation")
