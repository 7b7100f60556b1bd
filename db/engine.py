"""Engines and sessions.

A request reads through one session and writes each mutation in its own
write transaction. On SQLite a write transaction starts with BEGIN IMMEDIATE,
so writers queue on the database lock up front instead of failing with
"database is locked" when a deferred transaction tries to upgrade.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

WRITE_OPTION = "jinlin_write"

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def _with_driver(url: str, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend in drivers:
        parsed = parsed.set(drivername=drivers[backend])
    return parsed


def async_url(url: str) -> URL:
    """The URL with an async driver: sqlite -> aiosqlite, postgresql -> psycopg."""
    return _with_driver(url, _ASYNC_DRIVERS)


def sync_url(url: str) -> URL:
    """The URL with a blocking driver, for Alembic and the CLI."""
    return _with_driver(url, _SYNC_DRIVERS)


def is_sqlite(url: str | URL) -> bool:
    return make_url(str(url) if isinstance(url, URL) else url).get_backend_name() == "sqlite"


def install_sqlite_pragmas(sync_engine: Any) -> None:
    """WAL, foreign keys, a busy timeout, and explicit BEGIN handling for SQLite.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT;
    SQLAlchemy's documented recipe takes it over.
    """

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# How long opening a PostgreSQL connection may take: an unreachable server must fail the
# request (503 UNAVAILABLE) quickly instead of holding it until the request timeout.
CONNECT_TIMEOUT_SECONDS = 5
# SQLSTATE classes and codes that say the server cannot serve now, not that the SQL is wrong:
# connection exceptions, shutdown / starting up, too many connections, and a statement
# cancelled by the statement timeout (the server is too busy to answer in time).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300", "57014")


@dataclass(frozen=True)
class PoolOptions:
    """How many connections one process holds, how long a request waits for one, and how
    long one statement may run. SQLAlchemy's defaults for the pool; no statement limit."""

    size: int = 5
    max_overflow: int = 10
    timeout_seconds: float = 30.0
    # 0: no limit. PostgreSQL only (SQLite has no statement timeout).
    statement_timeout_seconds: float = 0.0
    # Behind PgBouncer in transaction mode consecutive transactions may run on different
    # server connections, so nothing may rely on session state (README, "Deployment").
    pgbouncer: bool = False


def _postgresql_connect_args(options: PoolOptions, connect_timeout: int) -> dict[str, Any]:
    args: dict[str, Any] = {"connect_timeout": connect_timeout}
    if options.pgbouncer:
        # psycopg prepares a statement on the server after 5 runs; the prepared statement
        # lives on one server connection, which the next transaction may not get.
        args["prepare_threshold"] = None
    elif options.statement_timeout_seconds > 0:
        # Straight to PostgreSQL the limit is a startup parameter: set once per connection,
        # no round trip per transaction. PgBouncer does not pass startup options on.
        args["options"] = f"-c statement_timeout={_milliseconds(options)}"
    return args


def _milliseconds(options: PoolOptions) -> int:
    return max(1, round(options.statement_timeout_seconds * 1000))


def _install_transaction_timeout(sync_engine: Any, milliseconds: int) -> None:
    """SET LOCAL at every BEGIN: the limit holds for this transaction on whichever server
    connection PgBouncer lends it, and leaks to no other client's transaction."""

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(milliseconds)}")


def create_engine(
    url: str,
    *,
    echo: bool = False,
    connect_timeout: int = CONNECT_TIMEOUT_SECONDS,
    pool: PoolOptions | None = None,
) -> AsyncEngine:
    options = pool or PoolOptions()
    sizing: dict[str, Any] = {
        "pool_size": options.size,
        "max_overflow": options.max_overflow,
        "pool_timeout": options.timeout_seconds,
    }
    if is_sqlite(url):
        engine = create_async_engine(async_url(url), echo=echo, **sizing)
        install_sqlite_pragmas(engine.sync_engine)
        return engine
    engine = create_async_engine(
        async_url(url),
        echo=echo,
        pool_pre_ping=True,
        connect_args=_postgresql_connect_args(options, connect_timeout),
        **sizing,
    )
    if options.pgbouncer and options.statement_timeout_seconds > 0:
        _install_transaction_timeout(engine.sync_engine, _milliseconds(options))
    return engine


def is_unavailable(error: BaseException | None) -> bool:
    """True when ERROR (or what caused it) says the database cannot be reached right now.

    Opening a connection fails with a driver error outside any statement and without a
    server's SQLSTATE; a connection lost mid-request is marked invalidated; a full pool
    times out; a server shutting down or out of connections says so in its SQLSTATE.
    Errors in a statement (bad SQL, constraint violations, serialization failures) are
    bugs or conflicts, not unavailability.
    """
    while error is not None:
        if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
            return True
        if isinstance(error, exc.DBAPIError):
            sqlstate = getattr(error.orig, "sqlstate", None) or ""
            if (
                error.connection_invalidated
                or (error.statement is None and not sqlstate)
                or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
            ):
                return True
        error = error.__cause__
    return False


@dataclass
class Database:
    """Where sessions come from. Tests build one over a single connection."""

    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]
    dialect_name: str
    # False when every session shares one test connection: ending the read
    # transaction there would end the test's own transaction too.
    owns_transactions: bool = True

    @classmethod
    def from_engine(cls, engine: AsyncEngine) -> Database:
        writer = engine.execution_options(**{WRITE_OPTION: True})
        return cls(
            read_sessions=async_sessionmaker(engine, expire_on_commit=False),
            write_sessions=async_sessionmaker(writer, expire_on_commit=False),
            dialect_name=engine.dialect.name,
        )

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> Database:
        """Sessions that share one connection and nest in savepoints (test isolation)."""
        writes = async_sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        reads = async_sessionmaker(
            connection, expire_on_commit=False, join_transaction_mode="rollback_only"
        )
        return cls(
            read_sessions=reads,
            write_sessions=writes,
            dialect_name=connection.dialect.name,
            owns_transactions=False,
        )

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed on success, rolled back on any exception."""
        async with self.write_sessions() as session, session.begin():
            yield session
