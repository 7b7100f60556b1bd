"""Settings read from ``JINLIN_*`` environment variables.

One class composed from a mixin per concern (each module of this package), so every
variable keeps its flat name: ``JINLIN_DB_POOL_SIZE``, not a nested one.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from app.settings.database import DatabaseSettings
from app.settings.limits import LimitSettings
from app.settings.live import LiveSettings
from app.settings.security import SecuritySettings
from app.settings.uploads import UploadSettings
from app.settings.webhooks import WebhookSettings
from db.audit_store import use_chain_key_source
from db.engine import PoolOptions


# Bases are validated last to first: the replica check before the production refusal.
class Settings(
    SecuritySettings,
    WebhookSettings,
    UploadSettings,
    LiveSettings,
    LimitSettings,
    DatabaseSettings,
):
    model_config = SettingsConfigDict(env_prefix="JINLIN_", extra="ignore")

    mobilisation_sweep_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How often the sweeps (each `serve` process, each `jinlin worker`) close "
        "the mobilisations whose deadline has passed (answers are refused from the deadline "
        "itself, whenever one runs).",
    )
    sweeps_in_serve: bool = Field(
        default=True,
        description="Run the sweeps (mobilisations past their deadline, unattached uploads) "
        "inside each `serve` process; turn off when `jinlin worker` runs them. Any number of "
        "sweepers may run at once.",
    )
    shutdown_drain_seconds: float = Field(
        default=0.0,
        ge=0,
        description="On SIGTERM, answer /readyz 503 and keep serving this long before closing "
        "the port (behind a load balancer: its probe interval times its failure threshold).",
    )
    log_level: str = "INFO"

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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


# The audit writer (db/) reads the chain key from this process's settings when it needs it;
# db may not import app, so the settings hand it the way.
use_chain_key_source(lambda: get_settings().audit_chain_key())
