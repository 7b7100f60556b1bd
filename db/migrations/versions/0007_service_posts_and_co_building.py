"""service posts (在職黨員報到, 服務崗位) and co-building lists (共建清單)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POST_KINDS = (
    "PARTY_BUILDING_GUIDANCE",
    "CIVILISATION_PROMOTION",
    "SANITATION",
    "SAFETY_PATROL",
    "ELDER_CARE",
    "CHILDCARE",
    "DISPUTE_MEDIATION",
    "VOLUNTEER_SERVICE",
    "POLICY_PUBLICITY",
    "NEIGHBOURHOOD_HELP",
)
ACTIVE = {"sqlite_where": sa.text("active"), "postgresql_where": sa.text("active")}


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "service_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("availability", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("reported_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_service_registration_compound", "service_registration", ["compound_id", "id"]
    )
    op.create_index(
        "uq_service_registration_person",
        "service_registration",
        ["person_id"],
        unique=True,
        **ACTIVE,
    )

    op.create_table(
        "service_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*POST_KINDS, name="servicepostkind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("claimed_count", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("schedule_note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("capacity > 0", name="ck_service_post_capacity"),
        sa.CheckConstraint(
            "claimed_count >= 0 AND claimed_count <= capacity", name="ck_service_post_claimed"
        ),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ck_service_post_term"),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["published_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_service_post_compound", "service_post", ["compound_id", "id"])
    op.create_index("ix_service_post_compound_kind", "service_post", ["compound_id", "kind", "id"])
    op.create_index("ix_service_post_ends", "service_post", ["ends_on", "id"])
    op.create_index("ix_service_post_kind", "service_post", ["kind", "id"])

    op.create_table(
        "service_post_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["post_id"], ["service_post.id"]),
        sa.ForeignKeyConstraint(["registration_id"], ["service_registration.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_service_post_claim_compound", "service_post_claim", ["compound_id", "id"])
    op.create_index("ix_service_post_claim_person", "service_post_claim", ["person_id", "id"])
    op.create_index("ix_service_post_claim_post", "service_post_claim", ["post_id", "id"])
    op.create_index(
        "uq_service_post_claim_person",
        "service_post_claim",
        ["post_id", "person_id"],
        unique=True,
        **ACTIVE,
    )

    op.create_table(
        "service_post_fulfilment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minutes BETWEEN 1 AND 1440", name="ck_service_post_fulfilment_minutes"),
        sa.ForeignKeyConstraint(["claim_id"], ["service_post_claim.id"]),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["post_id"], ["service_post.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_service_post_fulfilment_person", "service_post_fulfilment", ["person_id", "served_on"]
    )
    op.create_index(
        "ix_service_post_fulfilment_post", "service_post_fulfilment", ["post_id", "served_on"]
    )
    op.create_index(
        "uq_service_post_fulfilment_day",
        "service_post_fulfilment",
        ["claim_id", "served_on"],
        unique=True,
    )

    op.create_table(
        "co_building_need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["published_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_co_building_need_compound", "co_building_need", ["compound_id", "year", "id"]
    )
    op.create_index("ix_co_building_need_year", "co_building_need", ["year", "id"])

    op.create_table(
        "co_building_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "COMMITTED",
                "COMPLETED",
                "CANCELLED",
                name="projectstatus",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("committed_on", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "status <> 'COMPLETED' OR completed_on IS NOT NULL",
            name="ck_co_building_project_completed",
        ),
        sa.ForeignKeyConstraint(["compound_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["need_id"], ["co_building_need.id"]),
        sa.ForeignKeyConstraint(["partner_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_co_building_project_compound",
        "co_building_project",
        ["compound_id", "year", "status", "id"],
    )
    op.create_index("ix_co_building_project_need", "co_building_project", ["need_id", "id"])
    op.create_index(
        "ix_co_building_project_partner",
        "co_building_project",
        ["partner_id", "year", "status", "id"],
    )
    op.create_index("ix_co_building_project_status", "co_building_project", ["status", "id"])
    op.create_index("ix_co_building_project_year", "co_building_project", ["year", "status", "id"])


def downgrade() -> None:
    op.drop_table("co_building_project")
    op.drop_table("co_building_need")
    op.drop_table("service_post_fulfilment")
    op.drop_table("service_post_claim")
    op.drop_table("service_post")
    op.drop_table("service_registration")
