"""keyed audit chain: the keyed boundary, a guarded chain head, signed checkpoints

Entries already in the log keep their plain SHA-256 hashes: `keyed_from` records the
first sequence number hashed with the keyed HMAC (1 on a new database, the next entry
on an existing one). The chain head only advances to the newest entry, one at a time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The writer locks the head, inserts entry seq+1 and then moves the head onto it: the
# one UPDATE allowed. Anything else (moving back, skipping, pointing at a hash that is
# not the entry's, changing the keyed boundary, a second row, deleting it) is refused.
SQLITE_GUARDS = [
    """CREATE TRIGGER audit_chain_head_advance_only BEFORE UPDATE ON audit_chain_head
       WHEN NEW.id IS NOT OLD.id OR NEW.keyed_from IS NOT OLD.keyed_from
         OR NEW.seq IS NOT OLD.seq + 1
         OR NEW.hash IS NOT (SELECT hash FROM audit_entry WHERE seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, 'audit_chain_head only advances to the newest audit entry'); END""",
    """CREATE TRIGGER audit_chain_head_no_insert BEFORE INSERT ON audit_chain_head
       BEGIN SELECT RAISE(ABORT, 'audit_chain_head only advances to the newest audit entry'); END""",
    """CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
       BEGIN SELECT RAISE(ABORT, 'audit_chain_head only advances to the newest audit entry'); END""",
    """CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
       BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END""",
    """CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
       BEGIN SELECT RAISE(ABORT, 'audit_checkpoint is append-only'); END""",
]
POSTGRES_GUARDS = [
    """CREATE FUNCTION audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.keyed_from = OLD.keyed_from
            AND NEW.seq = OLD.seq + 1
            AND NEW.hash = (SELECT hash FROM audit_entry WHERE seq = NEW.seq) THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION 'audit_chain_head only advances to the newest audit entry';
       END $$""",
    """CREATE TRIGGER audit_chain_head_guard
       BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_head
       FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()""",
    """CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
       FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard()""",
    """CREATE FUNCTION audit_checkpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_checkpoint is append-only'; END $$""",
    """CREATE TRIGGER audit_checkpoint_no_update_delete
       BEFORE UPDATE OR DELETE ON audit_checkpoint
       FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse_change()""",
    """CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
       FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_refuse_change()""",
]


def upgrade() -> None:
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("keyed_from", sa.Integer(), server_default="1", nullable=False)
        )
    # Entries written so far were hashed without a key; the next one is the first keyed.
    op.execute("UPDATE audit_chain_head SET keyed_from = seq + 1")
    op.create_table(
        "audit_checkpoint",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("keyed_from", sa.Integer(), nullable=False),
        sa.Column("time", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_GUARDS if sqlite else POSTGRES_GUARDS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "audit_chain_head_advance_only",
            "audit_chain_head_no_insert",
            "audit_chain_head_no_delete",
            "audit_checkpoint_no_update",
            "audit_checkpoint_no_delete",
        ):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER audit_chain_head_guard ON audit_chain_head")
        op.execute("DROP TRIGGER audit_chain_head_no_truncate ON audit_chain_head")
        op.execute("DROP FUNCTION audit_chain_head_guard()")
        op.execute("DROP TRIGGER audit_checkpoint_no_update_delete ON audit_checkpoint")
        op.execute("DROP TRIGGER audit_checkpoint_no_truncate ON audit_checkpoint")
        op.execute("DROP FUNCTION audit_checkpoint_refuse_change()")
    op.drop_table("audit_checkpoint")
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.drop_column("keyed_from")
