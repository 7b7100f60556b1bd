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

from sqlalchemy import event
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


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    engine = create_async_engine(async_url(url), echo=echo, pool_pre_ping=not is_sqlite(url))
    if is_sqlite(url):
        install_sqlite_pragmas(engine.sync_engine)
    return engine


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
