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
from db.engine import PoolOptions, is_sqlite

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
    upload_s3_bucket: str | None = Field(
        default=None,
        description="Keep photos in this bucket of S3-compatible object storage instead of "
        "upload_dir; credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID, "
        "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or boto3's other sources, never from here.",
    )
    upload_s3_endpoint: str | None = Field(
        default=None,
        description="The S3 API's URL for a service other than AWS (MinIO, Ceph, ...).",
    )
    upload_s3_prefix: str = Field(default="", description="Key prefix of photos in the bucket.")
    upload_s3_region: str | None = Field(default=None, description="The bucket's region.")
    upload_s3_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds one call to the object store may take."
    )
    upload_unattached_hours: float = Field(
        default=24.0,
        gt=0,
        description="An upload nobody attached to a report or comment is swept after this.",
    )
    upload_sweep_seconds: float = Field(
        default=300.0, gt=0, description="How often `jinlin worker` sweeps unattached uploads."
    )
    mobilisation_sweep_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often `jinlin worker` closes the mobilisations whose deadline has "
        "passed (answers are refused from the deadline itself, whenever it runs).",
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
    db_ping_after_idle: float = Field(
        default=2.0,
        ge=0,
        description="Seconds a pooled PostgreSQL connection may sit idle before it is pinged "
        "on its next use (0: before every use). A busy connection is not pinged: one round "
        "trip fewer per request, against one 503 for a request that draws a connection the "
        "server dropped in those seconds.",
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
    compiled_reads: bool = Field(
        default=True,
        description="Answer the read fields the compiler supports with one SQL statement that "
        "builds their JSON (README Performance); off: every field through the resolvers.",
    )
    database_replica_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="PostgreSQL streaming replicas (comma-separated URLs) that serve requests' "
        "reads; empty: every read on the primary.",
    )
    replica_max_lag_seconds: float = Field(
        default=2.0,
        gt=0,
        description="A replica further behind the primary than this is skipped (reads go to "
        "the primary) until it catches up.",
    )
    replica_check_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often each process measures its replicas' lag while serving reads.",
    )
    read_your_writes_seconds: float = Field(
        default=5.0,
        gt=0,
        description="After a caller's write, its reads go to the primary this long; at least "
        "the lag limit plus two checks, so a replica it reads next holds the write.",
    )
    shutdown_drain_seconds: float = Field(
        default=0.0,
        ge=0,
        description="On SIGTERM, answer /readyz 503 and keep serving this long before closing "
        "the port (behind a load balancer: its probe interval times its failure threshold).",
    )
    live_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often a subscription looks for new events in the outbox without a "
        "wake-up (one indexed statement per look): what an event waits at most when its "
        "wake-up is lost.",
    )
    live_access_check_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often an open WebSocket connection checks its token and grants while "
        "idle, and how old that check may be at a delivery: a revoked or expired token "
        "closes it (4401), an ended position (4403), within this time.",
    )
    live_max_backlog: int = Field(
        default=500,
        gt=0,
        description="Events one WebSocket connection may leave undelivered; a client further "
        "behind is closed with code 4413 (it resumes with `after`).",
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
    webhooks_in_serve: bool = Field(
        default=False,
        description="Run the webhook dispatcher inside each `serve` process as well (without "
        "it, run `jinlin worker`); any number of dispatchers may run at once.",
    )
    webhook_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often the dispatcher looks for new events without a wake-up (it is "
        "woken when events commit, as live feeds are, and when a retry falls due): what an "
        "event waits at most when its wake-up is lost.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds one POST to a receiver may take."
    )
    webhook_retry_base_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Wait after a delivery's first failure; doubled after each further one, "
        "with jitter.",
    )
    webhook_retry_cap_seconds: float = Field(
        default=6 * 3600.0, gt=0, description="The longest wait between two attempts."
    )
    webhook_max_attempts: int = Field(
        default=12, gt=0, description="Attempts of one delivery before it is given up on."
    )
    webhook_disable_after_failures: int = Field(
        default=20, gt=0, description="Failed attempts in a row that disable an endpoint …"
    )
    webhook_disable_after_hours: float = Field(
        default=24.0, ge=0, description="… once they have gone on at least this long."
    )
    webhook_allow_private_addresses: bool = Field(
        default=False,
        description="Send to loopback and private addresses too (development); otherwise an "
        "endpoint resolving to one fails, so no partner can make the server call its own "
        "network.",
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
            ping_after_idle_seconds=self.db_ping_after_idle,
        )

    @field_validator("audit_retired_public_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("database_replica_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value

    @model_validator(mode="after")
    def _replicas_need_postgresql(self) -> Settings:
        if not self.database_replica_urls:
            return self
        if is_sqlite(self.database_url) or any(is_sqlite(u) for u in self.database_replica_urls):
            raise ValueError(
                "JINLIN_DATABASE_REPLICA_URLS needs PostgreSQL: SQLite has no replicas "
                "(unset it, or point JINLIN_DATABASE_URL and the replicas at PostgreSQL)"
            )
        least = self.replica_max_lag_seconds + 2 * self.replica_check_seconds
        if self.read_your_writes_seconds < least:
            raise ValueError(
                f"JINLIN_READ_YOUR_WRITES_SECONDS must be at least {least:g} (the replica lag "
                "limit plus two checks): a shorter window could send a caller's next read to "
                "a replica that has not replayed its write yet"
            )
        return self

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
