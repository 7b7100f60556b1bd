"""Photos uploaded for the problem list: the cleaned bytes live in a blob store, this row
says whose they are, what they are and which timeline entry (if any) they belong to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, utcnow


class Upload(SQLModel, table=True):
    """One cleaned photo. Until it is attached it belongs to its uploader alone and expires;
    once attached, whoever may read its issue may see it."""

    __tablename__ = "upload"
    # Loads by timeline entry, and the sweep of unattached ones (issue_event_id NULL) by expiry.
    __table_args__ = (sa.Index("ix_upload_event_expiry", "issue_event_id", "expires_at"),)

    id: int | None = Field(default=None, primary_key=True)
    uploader_person_id: int = Field(foreign_key="person.id", index=True)
    # The blob store's key of the cleaned image; its thumbnail is under the same key + ".thumb".
    storage_key: str = Field(max_length=100, unique=True)
    content_type: str = Field(max_length=20)
    byte_size: int
    sha256: str = Field(max_length=64)
    width: int
    height: int
    thumbnail_content_type: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    # An unattached upload is swept after this; an attached one keeps it for the record.
    expires_at: datetime = Field(sa_type=UtcDateTime)
    issue_id: int | None = Field(default=None, foreign_key="issue.id")
    issue_event_id: int | None = Field(default=None, foreign_key="issue_event.id")
