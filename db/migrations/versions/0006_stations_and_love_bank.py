"""Neighbourhood red stations (近鄰紅色驛站) with their functions and duty roster, and the
love bank (愛心銀行): volunteer service, rewards and the double-entry points ledger.

The VOLUNTEER_TEAM_LEADER position title needs no DDL: titles are a VARCHAR-backed enum.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.create_index("ix_station_name", ["name", "id"], unique=False)
        batch_op.create_index("uq_station_compound_name", ["compound_id", "name"], unique=True)

    op.create_table(
        "points_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ISSUANCE", "PERSON", "REDEMPTION", name="accountkind", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("compound_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'ISSUANCE' AND compound_id IS NOT NULL AND person_id IS NULL AND station_id IS NULL) OR (kind = 'PERSON' AND person_id IS NOT NULL AND compound_id IS NULL AND station_id IS NULL) OR (kind = 'REDEMPTION' AND station_id IS NOT NULL AND compound_id IS NULL AND person_id IS NULL)",
            name="ck_points_account_owner",
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("points_account", schema=None) as batch_op:
        batch_op.create_index("uq_points_account_compound", ["compound_id"], unique=True)
        batch_op.create_index("uq_points_account_person", ["person_id"], unique=True)
        batch_op.create_index("uq_points_account_station", ["station_id"], unique=True)

    op.create_table(
        "reward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("cost > 0", name="ck_reward_cost"),
        sa.CheckConstraint("stock IS NULL OR stock >= 0", name="ck_reward_stock"),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reward", schema=None) as batch_op:
        batch_op.create_index("ix_reward_compound", ["compound_id", "id"], unique=False)
        batch_op.create_index("ix_reward_station", ["station_id", "id"], unique=False)

    op.create_table(
        "station_duty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "PARTY_MEMBER",
                "VOLUNTEER",
                "STATION_KEEPER",
                name="dutyrole",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(weekday IS NULL) <> (on_date IS NULL)", name="ck_station_duty_weekday_or_date"
        ),
        sa.CheckConstraint("starts_at < ends_at", name="ck_station_duty_slot"),
        sa.CheckConstraint(
            "weekday IS NULL OR weekday BETWEEN 1 AND 7", name="ck_station_duty_weekday"
        ),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("station_duty", schema=None) as batch_op:
        batch_op.create_index("ix_station_duty_compound", ["compound_id", "id"], unique=False)
        batch_op.create_index("ix_station_duty_person", ["person_id", "station_id"], unique=False)
        batch_op.create_index(
            "ix_station_duty_station", ["station_id", "weekday", "starts_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_station_duty_station_date",
            ["station_id", "on_date", "starts_at", "id"],
            unique=False,
        )

    op.create_table(
        "station_function",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column(
            "function",
            sa.Enum(
                "PARTY_EDUCATION",
                "ELDER_CARE",
                "DELIBERATION",
                "CHILDCARE",
                "READING",
                "FITNESS",
                "VOLUNTEER_SERVICE",
                name="stationfunction",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
        ),
        sa.PrimaryKeyConstraint("station_id", "function"),
    )
    with op.batch_alter_table("station_function", schema=None) as batch_op:
        batch_op.create_index(
            "ix_station_function_function", ["function", "station_id"], unique=False
        )

    op.create_table(
        "volunteer_service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("activity", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("PENDING", "CONFIRMED", name="servicestatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("confirmed_at", db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minutes BETWEEN 1 AND 1440", name="ck_volunteer_service_minutes"),
        sa.CheckConstraint("points > 0", name="ck_volunteer_service_points"),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("volunteer_service", schema=None) as batch_op:
        batch_op.create_index("ix_volunteer_service_compound", ["compound_id", "id"], unique=False)
        batch_op.create_index("ix_volunteer_service_status", ["status", "id"], unique=False)
        batch_op.create_index(
            "ix_volunteer_service_volunteer", ["volunteer_id", "status", "id"], unique=False
        )

    op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("EARN", "REDEEM", name="ledgerentrykind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("compound_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("reward_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("memo", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity IS NULL OR quantity > 0", name="ck_ledger_entry_quantity"),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["organisation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reward_id"],
            ["reward.id"],
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["volunteer_service.id"],
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_entry_compound_kind",
            ["compound_id", "kind", "occurred_on", "id"],
            unique=False,
        )
        batch_op.create_index("ix_ledger_entry_reward", ["reward_id", "id"], unique=False)
        batch_op.create_index("uq_ledger_entry_service", ["service_id"], unique=True)

    op.create_table(
        "ledger_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount <> 0", name="ck_ledger_line_amount"),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["points_account.id"],
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ledger_entry.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ledger_line", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_line_account", ["account_id", "id", "amount"], unique=False
        )
        batch_op.create_index("ix_ledger_line_entry", ["entry_id", "account_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ledger_line", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_line_entry")
        batch_op.drop_index("ix_ledger_line_account")

    op.drop_table("ledger_line")
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.drop_index("uq_ledger_entry_service")
        batch_op.drop_index("ix_ledger_entry_reward")
        batch_op.drop_index("ix_ledger_entry_compound_kind")

    op.drop_table("ledger_entry")
    with op.batch_alter_table("volunteer_service", schema=None) as batch_op:
        batch_op.drop_index("ix_volunteer_service_volunteer")
        batch_op.drop_index("ix_volunteer_service_status")
        batch_op.drop_index("ix_volunteer_service_compound")

    op.drop_table("volunteer_service")
    with op.batch_alter_table("station_function", schema=None) as batch_op:
        batch_op.drop_index("ix_station_function_function")

    op.drop_table("station_function")
    with op.batch_alter_table("station_duty", schema=None) as batch_op:
        batch_op.drop_index("ix_station_duty_station_date")
        batch_op.drop_index("ix_station_duty_station")
        batch_op.drop_index("ix_station_duty_person")
        batch_op.drop_index("ix_station_duty_compound")

    op.drop_table("station_duty")
    with op.batch_alter_table("reward", schema=None) as batch_op:
        batch_op.drop_index("ix_reward_station")
        batch_op.drop_index("ix_reward_compound")

    op.drop_table("reward")
    with op.batch_alter_table("points_account", schema=None) as batch_op:
        batch_op.drop_index("uq_points_account_station")
        batch_op.drop_index("uq_points_account_person")
        batch_op.drop_index("uq_points_account_compound")

    op.drop_table("points_account")
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_index("uq_station_compound_name")
        batch_op.drop_index("ix_station_name")

    op.drop_table("station")
