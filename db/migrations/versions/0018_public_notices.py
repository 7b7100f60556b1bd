"""public disclosure (兩公開): notices, residents' questions on them and who read them

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTICE_KINDS = ("AFFAIRS", "FINANCES", "DECISIONS", "EVALUATION_RESULTS")


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*NOTICE_KINDS, name="noticekind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published_from", sa.Date(), nullable=False),
        sa.Column("published_until", sa.Date(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "published_until IS NULL OR published_until > published_from",
            name="ck_notice_period",
        ),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["publisher_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["published_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notice_compound", "notice", ["compound_id", "created_at", "id"])
    op.create_index("ix_notice_created", "notice", ["created_at", "id"])
    op.create_index("ix_notice_publisher", "notice", ["publisher_id", "created_at", "id"])

    op.create_table(
        "notice_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["asker_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["answered_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notice_question_notice", "notice_question", ["notice_id", "id"])
    op.create_index("ix_notice_question_compound", "notice_question", ["compound_id", "id"])
    op.create_index("ix_notice_question_asker", "notice_question", ["asker_id", "id"])

    op.create_table(
        "notice_read",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("read_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notice.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("notice_id", "person_id"),
    )


def downgrade() -> None:
    op.drop_table("notice_read")
    op.drop_index("ix_notice_question_asker", table_name="notice_question")
    op.drop_index("ix_notice_question_compound", table_name="notice_question")
    op.drop_index("ix_notice_question_notice", table_name="notice_question")
    op.drop_table("notice_question")
    op.drop_index("ix_notice_publisher", table_name="notice")
    op.drop_index("ix_notice_created", table_name="notice")
    op.drop_index("ix_notice_compound", table_name="notice")
    op.drop_table("notice")
