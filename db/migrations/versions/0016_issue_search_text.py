"""issue.search_text: title and description folded (traditional to simplified Chinese, width,
case) so a search finds either script; a trigram index serves it on PostgreSQL

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.folding import issue_search_text

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2_000
ISSUE = sa.table(
    "issue",
    sa.column("id", sa.Integer()),
    sa.column("title", sa.String()),
    sa.column("description", sa.Text()),
    sa.column("search_text", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("issue") as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    _backfill()
    with op.batch_alter_table("issue") as batch_op:
        # The models give the value on every insert; the default only carried existing rows.
        batch_op.alter_column("search_text", server_default=None)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_issue_search_text",
        "issue",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        sqlite_where=sa.false(),
    )


def _backfill() -> None:
    """Fold existing issues in Python, with the function the app folds with, by id ranges."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(ISSUE.c.id, ISSUE.c.title, ISSUE.c.description)
            .where(ISSUE.c.id > last)
            .order_by(ISSUE.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            ISSUE.update()
            .where(ISSUE.c.id == sa.bindparam("row_id"))
            .values(search_text=sa.bindparam("folded")),
            [{"row_id": r.id, "folded": issue_search_text(r.title, r.description)} for r in rows],
        )
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_issue_search_text", table_name="issue")
    with op.batch_alter_table("issue") as batch_op:
        batch_op.drop_column("search_text")
