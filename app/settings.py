"""Settings read from ``JINLIN_*`` environment variables.

Production refuses the unsafe development defaults, so a deployment that forgot
to set a secret fails at start-up instead of running with a public one.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    request_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A GraphQL request still running after this long is answered 503 TIMEOUT.",
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
    audit_signing_key: str | None = Field(
        default=None,
        description="Base64 of the raw 32-byte Ed25519 key that signs audit checkpoints; "
        "unset: derived from the secret key.",
    )
    log_level: str = "INFO"
    sql_echo: bool = False

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

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
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
