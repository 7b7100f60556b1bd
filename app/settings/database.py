"""The database: its URL, each process's connection pool and the read replicas."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode

from db.engine import is_sqlite


class DatabaseSettings(BaseSettings):
    database_url: str = Field(
        default="sqlite:///jinlin.db",
        description="Any SQLAlchemy URL; sqlite and postgresql get async drivers automatically.",
    )
    db_pool_size: int = Field(
        default=5,
        gt=0,
        description="Database connections each app process keeps open, per pool (PostgreSQL "
        "has two: writes, and requests' reads).",
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
    sql_echo: bool = False

    @field_validator("database_replica_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [url.strip() for url in value.split(",") if url.strip()]
        return value

    @model_validator(mode="after")
    def _replicas_need_postgresql(self) -> Self:
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
