"""issue triage columns on the timeline; mentoring (導師幫帶) and commendations (兩優一先)

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30

A TRIAGE timeline entry keeps the priority, category and due time before and after the
correction (resolvers/issues/triage.py). The enum columns are VARCHAR: new IssueEventKind and
EventKind members need no DDL.

mentor_pair and commendation (db/models/recognition.py): the street's mentoring of new branch
secretaries and its 兩優一先 commendations, each lying in a compound.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIORITIES = ("LOW", "NORMAL", "HIGH", "URGENT")
CATEGORIES = (
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
)
TRIAGE_COLUMNS = (
    "from_priority",
    "to_priority",
    "from_category",
    "to_category",
    "from_due_at",
    "to_due_at",
)


COMMENDATION_KINDS = (
    "EXCELLENT_PARTY_MEMBER",
    "EXCELLENT_PARTY_WORKER",
    "ADVANCED_PARTY_ORGANISATION",
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def upgrade() -> None:
    with op.batch_alter_table("issue_event") as batch:
        for side in ("from", "to"):
            batch.add_column(
                sa.Column(f"{side}_priority", _enum(PRIORITIES, "issuepriority"), nullable=True)
            )
        for side in ("from", "to"):
            batch.add_column(
                sa.Column(f"{side}_category", _enum(CATEGORIES, "issuecategory"), nullable=True)
            )
        for side in ("from", "to"):
            batch.add_column(
                sa.Column(f"{side}_due_at", db.types.UtcDateTime(timezone=True), nullable=True)
            )
    _mentor_pair()
    _commendation()


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
    ]


def _mentor_pair() -> None:
    op.create_table(
        "mentor_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        *_stamps(),
        sa.CheckConstraint("mentor_id <> mentee_id", name="ck_mentor_pair_people"),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name="ck_mentor_pair_period"
        ),
        sa.ForeignKeyConstraint(["mentor_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["mentee_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["branch_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mentor_pair_compound", "mentor_pair", ["compound_id", "id"])
    op.create_index("ix_mentor_pair_mentor", "mentor_pair", ["mentor_id", "id"])
    op.create_index("ix_mentor_pair_mentee", "mentor_pair", ["mentee_id", "id"])
    op.create_index(
        "uq_mentor_pair_open",
        "mentor_pair",
        ["mentor_id", "mentee_id"],
        unique=True,
        sqlite_where=sa.text("end_date IS NULL"),
        postgresql_where=sa.text("end_date IS NULL"),
    )


def _commendation() -> None:
    op.create_table(
        "commendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(COMMENDATION_KINDS, "commendationkind"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("awarded_by_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "(person_id IS NULL) <> (organisation_id IS NULL)", name="ck_commendation_recipient"
        ),
        sa.ForeignKeyConstraint(["awarded_by_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_commendation_compound", "commendation", ["compound_id", "id"])
    op.create_index("ix_commendation_compound_year", "commendation", ["compound_id", "year", "id"])
    op.create_index("ix_commendation_person", "commendation", ["person_id", "id"])
    op.create_index("ix_commendation_organisation", "commendation", ["organisation_id", "id"])
    for recipient in ("person", "organisation"):
        where = sa.text(f"withdrawn_at IS NULL AND {recipient}_id IS NOT NULL")
        op.create_index(
            f"uq_commendation_{recipient}",
            "commendation",
            [f"{recipient}_id", "kind", "year", "awarded_by_id"],
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    for index in (
        "uq_commendation_organisation",
        "uq_commendation_person",
        "ix_commendation_organisation",
        "ix_commendation_person",
        "ix_commendation_compound_year",
        "ix_commendation_compound",
    ):
        op.drop_index(index, table_name="commendation")
    op.drop_table("commendation")
    for index in (
        "uq_mentor_pair_open",
        "ix_mentor_pair_mentee",
        "ix_mentor_pair_mentor",
        "ix_mentor_pair_compound",
    ):
        op.drop_index(index, table_name="mentor_pair")
    op.drop_table("mentor_pair")
    with op.batch_alter_table("issue_event") as batch:
        for name in reversed(TRIAGE_COLUMNS):
            batch.drop_column(name)
