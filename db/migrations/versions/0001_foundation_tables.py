"""foundation tables

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


GENESIS_HASH = "0" * 64
# Binary collation on PostgreSQL: subtree queries are range scans over "/1/4/" paths.
PATH_TYPE = sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")

SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
]
POSTGRES_APPEND_ONLY = [
    """CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$""",
    """CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()""",
]


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("client_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("actor_token_id", sa.Integer(), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("domain", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("resource_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("resource_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("organisation_path", PATH_TYPE, nullable=True),
        sa.Column("input", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "SUCCESS",
                "DENIED",
                "REJECTED",
                "FAILED",
                name="auditoutcome",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("error_code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("error_message", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_actor", ["actor_person_id", "seq"], unique=False)
        batch_op.create_index("ix_audit_occurred", ["occurred_at"], unique=False)
        batch_op.create_index("ix_audit_org_path", ["organisation_path", "seq"], unique=False)
        batch_op.create_index(
            "ix_audit_resource", ["resource_type", "resource_id", "seq"], unique=False
        )

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CITY",
                "DISTRICT",
                "STREET",
                "COMMUNITY",
                "COMPOUND",
                "BUILDING",
                "PARTY_BRANCH",
                "PARTY_GROUP",
                "OWNERS_COMMITTEE",
                "SUPERVISORY_BOARD",
                "PROPERTY_FIRM",
                "PARTNER_UNIT",
                "SOCIAL_ORGANISATION",
                "VOLUNTEER_TEAM",
                "DEPARTMENT",
                name="organisationkind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", PATH_TYPE, nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_compound_id"), ["compound_id"], unique=False
        )
        batch_op.create_index("ix_organisation_kind_name", ["kind", "name", "id"], unique=False)
        batch_op.create_index("ix_organisation_name_id", ["name", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_organisation_path", ["path"], unique=True)
        batch_op.create_index(
            "uq_organisation_compound_body",
            ["compound_id", "kind"],
            unique=True,
            sqlite_where=sa.text(
                "kind IN ('PARTY_BRANCH', 'OWNERS_COMMITTEE', 'SUPERVISORY_BOARD')"
            ),
            postgresql_where=sa.text(
                "kind IN ('PARTY_BRANCH', 'OWNERS_COMMITTEE', 'SUPERVISORY_BOARD')"
            ),
        )

    op.create_table(
        "organisation_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("SERVES", "CO_BUILDS", name="linkkind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_link_term"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("organisation_link", schema=None) as batch_op:
        batch_op.create_index("ix_link_source_kind", ["source_id", "kind"], unique=False)
        batch_op.create_index("ix_link_target_kind", ["target_id", "kind"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("id_number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("residence_compound_id", sa.Integer(), nullable=True),
        sa.Column("residence_building_id", sa.Integer(), nullable=True),
        sa.Column("residence_unit", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column(
            "party_membership",
            sa.Enum("NONE", "MEMBER", name="partymembership", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "party_member_status",
            sa.Enum(
                "IN_SERVICE", "RETIRED", name="partymemberstatus", native_enum=False, length=40
            ),
            nullable=True,
        ),
        sa.Column("party_joined_on", sa.Date(), nullable=True),
        sa.Column("party_reported_community_id", sa.Integer(), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_reported_community_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["residence_building_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["residence_compound_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_name_id", ["name", "id"], unique=False)
        batch_op.create_index(
            "ix_person_residence", ["residence_compound_id", "name", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_person_residence_building_id"), ["residence_building_id"], unique=False
        )

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("display_prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("secret_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_person_id"), ["person_id"], unique=False)

    op.create_table(
        "position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "title",
            sa.Enum(
                "SECRETARY",
                "DEPUTY_SECRETARY",
                "BRANCH_COMMITTEE_MEMBER",
                "GROUP_LEADER",
                "PARTY_HOUSEHOLD_HEAD",
                "COMMITTEE_CHAIR",
                "COMMITTEE_MEMBER",
                "SUPERVISOR_BOARD_MEMBER",
                "PROPERTY_MANAGER",
                "PROPERTY_STAFF",
                "PARTY_BUILDING_LIAISON",
                "PROPERTY_MONITOR",
                "STREET_OFFICER",
                name="positiontitle",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_position_term"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(
            "ix_position_org_title", ["organisation_id", "title", "id"], unique=False
        )
        batch_op.create_index(
            "ix_position_person_term", ["person_id", "start_date", "end_date"], unique=False
        )

    head = sa.table("audit_chain_head", sa.column("id"), sa.column("seq"), sa.column("hash"))
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])
    statements = (
        SQLITE_APPEND_ONLY if op.get_bind().dialect.name == "sqlite" else POSTGRES_APPEND_ONLY
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_entry_no_update")
        op.execute("DROP TRIGGER audit_entry_no_delete")
    else:
        op.execute("DROP TRIGGER audit_entry_no_update_delete ON audit_entry")
        op.execute("DROP TRIGGER audit_entry_no_truncate ON audit_entry")
        op.execute("DROP FUNCTION audit_entry_refuse_change()")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index("ix_position_person_term")
        batch_op.drop_index("ix_position_org_title")

    op.drop_table("position")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_person_id"))

    op.drop_table("api_token")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_residence_building_id"))
        batch_op.drop_index("ix_person_residence")
        batch_op.drop_index("ix_person_name_id")

    op.drop_table("person")
    with op.batch_alter_table("organisation_link", schema=None) as batch_op:
        batch_op.drop_index("ix_link_target_kind")
        batch_op.drop_index("ix_link_source_kind")

    op.drop_table("organisation_link")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_organisation_compound_body",
            sqlite_where=sa.text(
                "kind IN ('PARTY_BRANCH', 'OWNERS_COMMITTEE', 'SUPERVISORY_BOARD')"
            ),
            postgresql_where=sa.text(
                "kind IN ('PARTY_BRANCH', 'OWNERS_COMMITTEE', 'SUPERVISORY_BOARD')"
            ),
        )
        batch_op.drop_index("ix_organisation_path")
        batch_op.drop_index(batch_op.f("ix_organisation_parent_id"))
        batch_op.drop_index("ix_organisation_name_id")
        batch_op.drop_index("ix_organisation_kind_name")
        batch_op.drop_index(batch_op.f("ix_organisation_compound_id"))

    op.drop_table("organisation")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_resource")
        batch_op.drop_index("ix_audit_org_path")
        batch_op.drop_index("ix_audit_occurred")
        batch_op.drop_index("ix_audit_actor")

    op.drop_table("audit_entry")
    op.drop_table("audit_chain_head")
