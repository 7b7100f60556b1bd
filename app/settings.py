"""Settings read from ``JINLIN_*`` environment variables.

Production refuses the unsafe development defaults, so a deployment that forgot
to set a secret fails at start-up instead of running with a public one.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    max_query_cost: int = Field(
        default=10_000, description="Most objects one query may return (see schema/cost.py)."
    )
    log_level: str = "INFO"
    sql_echo: bool = False

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.is_production and self.secret_key == DEVELOPMENT_SECRET:
            raise UnsafeSettingsError(
                "JINLIN_SECRET_KEY must be set to a private value when JINLIN_ENV=production"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
