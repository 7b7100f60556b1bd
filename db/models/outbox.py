"""The outbox: what someone should hear of, written in the transaction of its change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.paths import PathType
from db.types import UtcDateTime, utcnow

# A bigint on PostgreSQL; SQLite hands out rowids only for INTEGER PRIMARY KEY.
EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class OutboxEvent(SQLModel, table=True):
    """One domain event, inserted under the audit chain lock right after its SUCCESS entry,
    so ids follow commit order and a reader polling by id never skips one committed later.

    It holds ids and status values only, never rendered names: whoever delivers it renders
    what the recipient may see (masked fields stay masked). The compound, the path and the
    resource are what the policy needs to decide who may read it.
    """

    __tablename__ = "outbox_event"
    __table_args__ = (
        sa.Index("ix_outbox_compound_id", "compound_id", "id"),
        sa.Index("ix_outbox_resource", "resource_type", "resource_id", "id"),
        # Never reuse an id (SQLite reuses the largest rowid once it is deleted otherwise).
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=EventId)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    kind: str = Field(max_length=64)
    resource_type: str = Field(max_length=40)
    resource_id: str | None = Field(default=None, max_length=64)
    compound_id: int | None = None
    organisation_path: str | None = Field(default=None, sa_type=PathType)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The SUCCESS audit entry of the change (not a foreign key: the chain is verified,
    # not constrained, and its tamper tests remove entries).
    audit_seq: int = Field(index=True)
