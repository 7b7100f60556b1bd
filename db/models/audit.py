"""The audit log: one row per mutation attempt, hash-chained in commit order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.models.enums import AuditOutcome
from db.paths import PathType
from db.types import UtcDateTime, enum_column, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    __table_args__ = (
        sa.Index("ix_audit_org_path", "organisation_path", "seq"),
        sa.Index("ix_audit_resource", "resource_type", "resource_id", "seq"),
        sa.Index("ix_audit_actor", "actor_person_id", "seq"),
        sa.Index("ix_audit_occurred", "occurred_at"),
        sa.Index("ix_audit_operation", "operation", "seq"),
        sa.Index("ix_audit_token", "actor_token_id", "seq"),
        sa.Index("ix_audit_actor_organisation", "actor_organisation_id", "seq"),
        sa.Index("ix_audit_compound_seq", "compound_id", "seq"),
    )

    # The chain position; assigned under the chain-head lock, so it is commit order.
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    request_id: str | None = Field(default=None, max_length=64)
    client_address: str | None = Field(default=None, max_length=64)
    actor_person_id: int | None = None
    actor_token_id: int | None = None
    # The partner organisation acting through a scoped token (the actor is the token's issuer).
    actor_organisation_id: int | None = None
    role: str | None = Field(default=None, max_length=40)
    domain: str | None = Field(default=None, max_length=512)
    operation: str = Field(max_length=64)
    resource_type: str = Field(max_length=40)
    resource_id: str | None = Field(default=None, max_length=64)
    organisation_id: int | None = None
    organisation_path: str | None = Field(default=None, sa_type=PathType)
    # The compound of that organisation (none above compounds): a compound's entries in
    # sequence order are one index range. Derived from organisation_id, so not hashed.
    compound_id: int | None = None
    # The record's display name when the entry was written, so the entry still names it
    # after a rename or deletion. A display aid derived from the record: not hashed.
    resource_label: str | None = Field(default=None, max_length=200)
    input: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    outcome: AuditOutcome = Field(sa_type=enum_column(AuditOutcome))
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = Field(default=None, max_length=500)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditChainHead(SQLModel, table=True):
    """A single row holding the chain's last sequence and hash.

    Writers lock this row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write
    transaction already serialises them), so two transactions can never chain
    to the same predecessor.
    """

    __tablename__ = "audit_chain_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = Field(max_length=64)
    # The first entry hashed with the keyed HMAC; the entries before it were written
    # before the chain had a key and keep their plain SHA-256 (set by migration 0008).
    keyed_from: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class AuditCheckpoint(SQLModel, table=True):
    """A signed checkpoint of the chain head, as also written to the checkpoint file.

    The row is a convenience (the latest checkpoint without the file, and one row per
    head so that several app processes sign each head once); the evidence is the
    signature, which verifies wherever the line is kept.
    """

    __tablename__ = "audit_checkpoint"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    entries: int
    hash: str = Field(max_length=64)
    keyed_from: int
    # The time exactly as signed (ISO text), so the signed message can be rebuilt.
    time: str = Field(max_length=40)
    signature: str = Field(max_length=100)
