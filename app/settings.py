"""Settings read from ``JINLIN_*`` environment variables.

Production refuses the unsafe development defaults, so a deployment that forgot
to set a secret fails at start-up instead of running with a public one.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from db.audit_keys import derived_chain_key, derived_private_key, signing_key_from
from db.audit_store import use_chain_key_source
from db.engine import PoolOptions

DEVELOPMENT_SECRET = "jinlin-development-secret-not-for-production"  # noqa: S105


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class UnsafeSettingsError(ValueError):
    """Raised when production is started with a development-only default."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JINLIN_", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default="sqlite:///jinlin.db",
        description="Any SQLAlchemy URL; sqlite and postgresql get async drivers automatically.",
    )
    secret_key: str = Field(
        default=DEVELOPMENT_SECRET,
        description="Key of the HMAC under which API tokens are stored.",
        min_length=16,
    )
    max_query_depth: int = 10
    max_aliases: int = Field(default=30, gt=0, description="Aliases one document may use.")
    max_tokens: int = Field(default=5000, gt=0, description="Tokens one document may have.")
    max_directives: int = Field(default=20, gt=0, description="Directives one document may use.")
    max_duplicate_fields: int = Field(
        default=10, gt=0, description="Times one field may be repeated in a selection."
    )
    max_batch_operations: int = Field(
        default=0, ge=0, description="Operations one batched request may carry; 0: no batching."
    )
    max_query_cost: int = Field(
        default=10_000, description="Most objects one query may return (see schema/cost.py)."
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        gt=0,
        description="Largest request body accepted; a GraphQL document within the token limit "
        "plus its variables fits in a fraction of this.",
    )
    upload_dir: str = Field(
        default="uploads",
        description="Directory of the local photo store (beside the SQLite database by default).",
    )
    upload_max_bytes: int = Field(
        default=10 * 1024 * 1024, gt=0, description="Largest photo POST /uploads accepts."
    )
    upload_max_pixels: int = Field(
        default=40_000_000,
        gt=0,
        description="Most pixels a photo may declare; more is refused before decoding (a "
        "decompression bomb).",
    )
    request_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A GraphQL request still running after this long is answered 503 TIMEOUT.",
    )
    db_pool_size: int = Field(
        default=5, gt=0, description="Database connections each app process keeps open."
    )
    db_max_overflow: int = Field(
        default=10,
        ge=0,
        description="Connections a process may open beyond the pool under a burst, closed after.",
    )
    db_pool_timeout: float = Field(
        default=5.0,
        gt=0,
        description="Seconds a request waits for a free connection before it is answered 503 "
        "UNAVAILABLE with Retry-After; never more than half the request timeout.",
    )
    db_statement_timeout: float | None = Field(
        default=None,
        ge=0,
        description="Seconds one PostgreSQL statement may run (answered 503 UNAVAILABLE past "
        "it); unset: the request timeout, 0: no limit.",
    )
    pgbouncer: bool = Field(
        default=False,
        description="The database URL points at PgBouncer in transaction mode: no server-side "
        "prepared statements, the statement timeout set per transaction.",
    )
    shutdown_drain_seconds: float = Field(
        default=0.0,
        ge=0,
        description="On SIGTERM, answer /readyz 503 and keep serving this long before closing "
        "the port (behind a load balancer: its probe interval times its failure threshold).",
    )
    live_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often a subscription looks for new events in the outbox (one indexed "
        "statement per look); what an event waits at most before delivery.",
    )
    max_subscriptions_per_connection: int = Field(
        default=10, gt=0, description="Subscriptions one WebSocket connection may run at once."
    )
    max_subscriptions_per_token: int = Field(
        default=20,
        gt=0,
        description="Subscriptions one token may run at once in one app process, over all its "
        "connections (beyond: RATE_LIMITED).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed cross-origin access, comma-separated; empty: none.",
    )
    rate_limit_points: int = Field(
        default=60_000,
        gt=0,
        description="Query cost one token (or address, without a token) may spend per window.",
    )
    rate_limit_window_seconds: float = Field(default=60.0, gt=0, description="The sliding window.")
    redis_url: str | None = Field(
        default=None,
        description="Redis for the rate limit, shared by every app process; unset: per process.",
    )
    trusted_documents: str | None = Field(
        default=None,
        description="Path of the trusted-documents manifest ({sha256: document}) requests may "
        "name by documentId.",
    )
    trusted_documents_only: bool = Field(
        default=False, description="Run only documents in the manifest (for production)."
    )
    audit_key: str | None = Field(
        default=None,
        min_length=32,
        description="Key of the HMAC that chains the audit log; the database never holds it. "
        "Unset: derived from the secret key (development only).",
    )
    audit_signing_key: str | None = Field(
        default=None,
        description="The Ed25519 key that signs audit checkpoints: base64 of its raw 32-byte "
        "seed, or the path of a PEM file. Unset: derived from the secret key (development only).",
    )
    audit_retired_public_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Public keys (base64, comma-separated) of signing keys rotated out: "
        "checkpoints they signed still count.",
    )
    audit_checkpoint_file: str | None = Field(
        default=None,
        description="Append every signed checkpoint to this file too (JSON lines), outside the "
        "database; `jinlin audit verify` reads it.",
    )
    audit_checkpoint_every_entries: int = Field(
        default=1000, gt=0, description="Sign a checkpoint once the chain has grown this much."
    )
    audit_checkpoint_every_minutes: float = Field(
        default=60.0,
        gt=0,
        description="Sign a checkpoint at least this often while the chain grows.",
    )
    log_level: str = "INFO"
    sql_echo: bool = False

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    def pool_options(self) -> PoolOptions:
        """The engine's pool. A request may wait for two connections (its reads, then a
        write), so each wait stays within half the request timeout: an exhausted pool is
        answered 503 UNAVAILABLE, not cut off by the request timeout."""
        statement = (
            self.request_timeout_seconds
            if self.db_statement_timeout is None
            else self.db_statement_timeout
        )
        return PoolOptions(
            size=self.db_pool_size,
            max_overflow=self.db_max_overflow,
            timeout_seconds=min(self.db_pool_timeout, self.request_timeout_seconds / 2),
            statement_timeout_seconds=statement,
            pgbouncer=self.pgbouncer,
        )

    @field_validator("audit_retired_public_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.is_production and self.secret_key == DEVELOPMENT_SECRET:
            raise UnsafeSettingsError(
                "JINLIN_SECRET_KEY must be set to a private value when JINLIN_ENV=production"
            )
        if self.is_production and "*" in self.cors_origins:
            raise UnsafeSettingsError(
                "JINLIN_CORS_ORIGINS must list the frontend's origins, not '*', "
                "when JINLIN_ENV=production"
            )
        if self.is_production and self.audit_key is None:
            raise UnsafeSettingsError(
                "JINLIN_AUDIT_KEY (32 characters or more) must be set when JINLIN_ENV=production"
            )
        if self.is_production and self.audit_key == self.secret_key:
            raise UnsafeSettingsError("JINLIN_AUDIT_KEY must differ from JINLIN_SECRET_KEY")
        if self.is_production and self.audit_signing_key is None:
            raise UnsafeSettingsError(
                "JINLIN_AUDIT_SIGNING_KEY must be set when JINLIN_ENV=production"
            )
        if self.audit_signing_key is not None:
            try:
                signing_key_from(self.audit_signing_key)
            except (OSError, ValueError) as error:
                raise UnsafeSettingsError(
                    "JINLIN_AUDIT_SIGNING_KEY is neither a base64 Ed25519 seed nor a readable "
                    f"PEM file of an Ed25519 private key ({type(error).__name__})"
                ) from None
        return self

    def audit_chain_key(self) -> bytes:
        """The key of the audit chain's HMAC."""
        if self.audit_key is not None:
            return self.audit_key.encode()
        return derived_chain_key(self.secret_key)

    def audit_checkpoint_key(self) -> Ed25519PrivateKey:
        """The key that signs checkpoints."""
        if self.audit_signing_key is not None:
            return signing_key_from(self.audit_signing_key)
        return derived_private_key(self.secret_key)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


# The audit writer (db/) reads the chain key from this process's settings when it needs it;
# db may not import app, so the settings hand it the way.
use_chain_key_source(lambda: get_settings().audit_chain_key())
