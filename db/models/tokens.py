"""API tokens: only an HMAC of the secret is stored.

A personal token acts as its person. A partner token (``partner_organisation_id``
set) is issued by a person for a partner unit: it carries scopes and a set of
organisations, and acts with at most its issuer's access over those
organisations, re-derived at every use.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (sa.Index("ix_api_token_partner", "partner_organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # The owner: the person a personal token acts as, the issuer of a partner token.
    person_id: int = Field(foreign_key="person.id", index=True)
    name: str = Field(max_length=100)
    # The first characters of the secret, shown to owners so they can tell tokens apart.
    display_prefix: str = Field(max_length=16)
    secret_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    partner_organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    # Scope names (policies.token_scopes); null for a personal token, which is not narrowed.
    scopes: list[str] | None = Field(default=None, sa_type=sa.JSON)


class ApiTokenOrganisation(SQLModel, table=True):
    """An organisation a partner token may act on (with everything under it)."""

    __tablename__ = "api_token_organisation"
    __table_args__ = (sa.Index("ix_api_token_organisation_org", "organisation_id", "token_id"),)

    token_id: int = Field(foreign_key="api_token.id", primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)


class AccessEpoch(SQLModel, table=True):
    """One counter that every change to what grants derive from moves on (database
    triggers, migration 0011): positions, service links, residences and admin flags,
    organisation paths, a partner token's organisations.

    A process keeps the actor it derived for a token together with the counter it read;
    while the counter stands still, the actor is still what the database would derive,
    so the grants statement need not run again. A change is visible to the next request
    of every process, as the counter is read with the token, in one statement.
    """

    __tablename__ = "access_epoch"

    id: int = Field(primary_key=True)
    value: int = Field(default=0, sa_type=sa.BigInteger)


class ConsoleSignIn(SQLModel, table=True):
    """A one-time code an operator issued for a person to sign in to the web console.

    Only an HMAC of the code is kept. Exchanging it marks it used and makes the
    session: a personal api_token row (``session_token_id``) whose secret lives only in
    the browser's HttpOnly cookie, so a session acts with exactly the person's grants.
    """

    __tablename__ = "console_sign_in"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    session_token_id: int | None = Field(default=None, foreign_key="api_token.id")
