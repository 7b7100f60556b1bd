"""access epoch: one counter that moves on with every change grants derive from

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

A process may keep the actor it derived for a token while this counter stands still
(resolvers.tokens.actors). The counter is moved on, in the same transaction, by any
change to what the grants statement and a partner token's narrowing read: positions,
service links, a partner token's organisations, a person's residence or admin flag, an
organisation's place in the tree. PostgreSQL counts once per statement (a bulk COPY is
one step), SQLite once per row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE access_epoch SET value = value + 1 WHERE id = 1"
# table -> the columns whose update matters (None: every change of the table matters).
WATCHED: dict[str, tuple[str, ...] | None] = {
    "position": None,
    "organisation_link": None,
    "api_token_organisation": None,
    "person": ("is_admin", "residence_compound_id"),
    "organisation": ("path", "compound_id", "parent_id", "kind"),
}


def _sqlite_triggers(table: str, columns: tuple[str, ...] | None) -> list[tuple[str, str]]:
    update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
    events = [("update", update), ("delete", "DELETE")]
    if columns is None:
        events.append(("insert", "INSERT"))
    return [
        (
            f"access_epoch_{table}_{name}",
            f"CREATE TRIGGER access_epoch_{table}_{name} AFTER {event} ON {table} "
            f"BEGIN {BUMP}; END",
        )
        for name, event in events
    ]


def _postgresql_trigger(table: str, columns: tuple[str, ...] | None) -> str:
    if columns is None:
        events = "INSERT OR UPDATE OR DELETE OR TRUNCATE"
    else:
        events = f"UPDATE OF {', '.join(columns)} OR DELETE OR TRUNCATE"
    return (
        f"CREATE TRIGGER access_epoch_{table} AFTER {events} ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION access_epoch_bump()"
    )


def upgrade() -> None:
    op.create_table(
        "access_epoch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO access_epoch (id, value) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in WATCHED.items():
            for _, statement in _sqlite_triggers(table, columns):
                op.execute(statement)
        return
    op.execute(
        "CREATE FUNCTION access_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {BUMP}; RETURN NULL; END $$"
    )
    for table, columns in WATCHED.items():
        op.execute(_postgresql_trigger(table, columns))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table, columns in WATCHED.items():
            for name, _ in _sqlite_triggers(table, columns):
                op.execute(f"DROP TRIGGER {name}")
    else:
        for table in WATCHED:
            op.execute(f"DROP TRIGGER access_epoch_{table} ON {table}")
        op.execute("DROP FUNCTION access_epoch_bump()")
    op.drop_table("access_epoch")
