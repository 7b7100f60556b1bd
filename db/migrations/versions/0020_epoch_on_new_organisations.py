"""access epoch: a new organisation moves the counter on too

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30

A request resolves the caller's subtree domains to the ids of the organisations under them
(resolvers/common.py); a process keeps that answer while the access epoch stands still. A
compound added under a street changes the answer, so an INSERT into organisation now moves
the counter on as its updates of path, compound, parent and kind (migration 0011) do.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE access_epoch SET value = value + 1 WHERE id = 1"
WATCHED_COLUMNS = "path, compound_id, parent_id, kind"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER access_epoch_organisation_insert AFTER INSERT ON organisation "
            f"BEGIN {BUMP}; END"
        )
        return
    op.execute("DROP TRIGGER access_epoch_organisation ON organisation")
    op.execute(
        "CREATE TRIGGER access_epoch_organisation AFTER INSERT OR UPDATE OF "
        f"{WATCHED_COLUMNS} OR DELETE OR TRUNCATE ON organisation "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER access_epoch_organisation_insert")
        return
    op.execute("DROP TRIGGER access_epoch_organisation ON organisation")
    op.execute(
        f"CREATE TRIGGER access_epoch_organisation AFTER UPDATE OF {WATCHED_COLUMNS} "
        "OR DELETE OR TRUNCATE ON organisation "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump()"
    )
