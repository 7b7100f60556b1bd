"""Partner tokens: scopes, a partner organisation and the organisations a token may act on;
the partner organisation on audit entries made through such a token.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite adds a column with a foreign key by rebuilding the table.
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.add_column(sa.Column("partner_organisation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scopes", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            "fk_api_token_partner_organisation_id_organisation",
            "organisation",
            ["partner_organisation_id"],
            ["id"],
        )
        batch_op.create_index("ix_api_token_partner", ["partner_organisation_id"])
    op.create_table(
        "api_token_organisation",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["token_id"], ["api_token.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("token_id", "organisation_id"),
    )
    op.create_index(
        "ix_api_token_organisation_org",
        "api_token_organisation",
        ["organisation_id", "token_id"],
    )
    # A plain ADD COLUMN: rebuilding audit_entry would drop its append-only triggers.
    op.add_column("audit_entry", sa.Column("actor_organisation_id", sa.Integer(), nullable=True))
    op.create_index("ix_audit_actor_organisation", "audit_entry", ["actor_organisation_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_actor_organisation", table_name="audit_entry")
    with op.batch_alter_table("audit_entry") as batch_op:
        batch_op.drop_column("actor_organisation_id")
    op.drop_index("ix_api_token_organisation_org", table_name="api_token_organisation")
    op.drop_table("api_token_organisation")
    with op.batch_alter_table("api_token") as batch_op:
        batch_op.drop_index("ix_api_token_partner")
        batch_op.drop_constraint(
            "fk_api_token_partner_organisation_id_organisation", type_="foreignkey"
        )
        batch_op.drop_column("scopes")
        batch_op.drop_column("partner_organisation_id")
