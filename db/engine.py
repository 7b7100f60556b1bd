"""Engines and sessions.

A request reads through one session and writes each mutation in its own
write transaction. On SQLite a write transaction starts with BEGIN IMMEDIATE,
so writers queue on the database lock up front instead of failing with
"database is locked" when a deferred transaction tries to upgrade.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from psycopg import _queries as _psycopg_queries
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from db.cursor_text import cursor_text
from db.outbox_signal import OutboxSignal
from db.pool_ping import install_idle_ping

if TYPE_CHECKING:
    from db.replicas import ReadRouting

WRITE_OPTION = "jinlin_write"

# psycopg keeps the conversion of a statement's placeholders (%(name)s to $n) only for
# statements up to 4 KB and 50 parameters, and converts larger ones anew on every run; a
# compiled page (schema/compiled) is 6 KB with 75 parameters, and converting it cost a
# tenth of the request. The limits are psycopg's module constants (read at each call);
# it keeps 128 conversions, so at most 128 x 64 KB.
_psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = max(
    _psycopg_queries.MAX_CACHED_STATEMENT_LENGTH, 64 * 1024
)
_psycopg_queries.MAX_CACHED_STATEMENT_PARAMS = max(
    _psycopg_queries.MAX_CACHED_STATEMENT_PARAMS, 1000
)

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


SQLITE_BASE64 = "jinlin_base64"


def sqlite_base64(text: str | None) -> str | None:
    return None if text is None else base64.b64encode(text.encode()).decode()


SQLITE_CURSOR = "jinlin_cursor"


def sqlite_cursor(tag: str, *keys: Any) -> str | None:
    """The cursor of a row whose KEYS these are in list TAG (none for a null key: no row)."""
    return None if keys[0] is None else cursor_text(tag, keys)


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
        # PostgreSQL's encode(..., 'base64'), for JSON built in SQL (schema/compiled).
        dbapi_connection.create_function(SQLITE_BASE64, 1, sqlite_base64, deterministic=True)
        # A keyset cursor as the resolvers write it, in one call: a deeply nested statement
        # overflows SQLite's parser stack, and each nested call is a level of it.
        dbapi_connection.create_function(SQLITE_CURSOR, -1, sqlite_cursor, deterministic=True)

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
    # A pooled connection idle this long is pinged before use (db/pool_ping.py); 0: always.
    ping_after_idle_seconds: float = 2.0

    @property
    def timed_per_transaction(self) -> bool:
        """The statement limit is SET LOCAL at each BEGIN (PgBouncer passes no startup
        option on): only statements inside a transaction are held to it."""
        return self.pgbouncer and self.statement_timeout_seconds > 0


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

    _TIMED_PER_TRANSACTION.add(sync_engine)


# Engines whose statement limit is set per transaction (behind PgBouncer): their reads
# must stay in transactions, or the limit would not hold for them.
_TIMED_PER_TRANSACTION: WeakSet[Any] = WeakSet()


def create_engine(
    url: str,
    *,
    echo: bool = False,
    connect_timeout: int = CONNECT_TIMEOUT_SECONDS,
    pool: PoolOptions | None = None,
    autocommit: bool = False,
) -> AsyncEngine:
    """An engine over URL; with AUTOCOMMIT (PostgreSQL), one whose connections run every
    statement outside a transaction (see `request_reads_engine`)."""
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
    if autocommit:
        sizing["isolation_level"] = "AUTOCOMMIT"
    engine = create_async_engine(
        async_url(url),
        echo=echo,
        connect_args=_postgresql_connect_args(options, connect_timeout),
        **sizing,
    )
    install_idle_ping(engine.sync_engine, options.ping_after_idle_seconds)
    if options.timed_per_transaction:
        _install_transaction_timeout(engine.sync_engine, _milliseconds(options))
    return engine


def request_reads_engine(
    url: str, *, echo: bool = False, pool: PoolOptions | None = None
) -> AsyncEngine | None:
    """The engine of requests' reads on PostgreSQL: a pool of its own whose connections are
    AUTOCOMMIT from the start. Borrowing the main pool's connections with the isolation
    level as an execution option made SQLAlchemy switch each one to AUTOCOMMIT at checkout
    and back at checkin: a tenth of a short request's CPU. None where reads stay in
    transactions (SQLite; behind PgBouncer with a statement limit, which is set per
    transaction)."""
    options = pool or PoolOptions()
    if is_sqlite(url) or options.timed_per_transaction:
        return None
    return create_engine(url, echo=echo, pool=options, autocommit=True)


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
    # Replicas for requests' reads (db/replicas.py); None: every read on the primary.
    # Only RequestContext's reader routes: every other read_sessions() is the primary.
    routing: ReadRouting | None = None
    # A request's reads on the primary (None: read_sessions). See `from_engine`.
    request_read_sessions: async_sessionmaker[AsyncSession] | None = None
    # Where those sessions' connections come from, for reads that need no session (a
    # request's column reads take a pooled connection of it directly).
    request_read_bind: AsyncEngine | None = None
    # Wakes live feeds when outbox events commit (db/outbox_signal.py); in process unless
    # the app hands it Redis or PostgreSQL.
    signal: OutboxSignal = field(default_factory=OutboxSignal)

    @classmethod
    def from_engine(
        cls,
        engine: AsyncEngine,
        routing: ReadRouting | None = None,
        request_reads: AsyncEngine | None = None,
    ) -> Database:
        """Sessions over ENGINE; a request's reads over REQUEST_READS when given (the app
        passes `request_reads_engine`), else over ENGINE's pool switched to AUTOCOMMIT."""
        writer = engine.execution_options(**{WRITE_OPTION: True})
        # On PostgreSQL a request's reads run outside a transaction: under READ COMMITTED
        # each statement takes its own snapshot either way, so BEGIN and ROLLBACK around
        # them were two round trips per request that bought nothing. Other readers (audit
        # verification's server-side cursors, the export) keep their transactions.
        request_bind = (
            (request_reads or engine.execution_options(isolation_level="AUTOCOMMIT"))
            if engine.dialect.name == "postgresql"
            and engine.sync_engine not in _TIMED_PER_TRANSACTION
            else None
        )
        return cls(
            read_sessions=async_sessionmaker(engine, expire_on_commit=False),
            write_sessions=async_sessionmaker(writer, expire_on_commit=False),
            dialect_name=engine.dialect.name,
            routing=routing,
            request_read_sessions=(
                None
                if request_bind is None
                else async_sessionmaker(request_bind, expire_on_commit=False)
            ),
            request_read_bind=request_bind,
        )

    @property
    def dialect(self) -> Dialect:
        """The dialect statements are compiled for and rows processed by."""
        bind = self.read_sessions.kw["bind"]
        assert isinstance(bind, AsyncEngine | AsyncConnection)
        return bind.dialect

    @property
    def request_reads(self) -> async_sessionmaker[AsyncSession]:
        """Sessions for a request's reads on the primary."""
        return self.request_read_sessions or self.read_sessions

    async def read_sessions_for(self, caller: str | None) -> async_sessionmaker[AsyncSession]:
        """Where CALLER's reads go now: a replica, or the primary (in its read-your-writes
        window, or while no replica is fit). Without replicas, the primary at no cost."""
        if self.routing is None:
            return self.request_reads
        return await self.routing.sessions_for(caller) or self.request_reads

    async def open_read_session(
        self, caller: str | None
    ) -> tuple[async_sessionmaker[AsyncSession], AsyncSession]:
        """A session for CALLER's reads and where it came from. On a replica its connection
        is taken at once (as its first statement would): a replica gone since it was last
        measured is judged down there and then, and the reads go to the primary instead of
        failing until the next check."""
        sessions = await self.read_sessions_for(caller)
        session = sessions()
        if self.routing is None or sessions is self.request_reads:
            return sessions, session
        try:
            await session.connection()
        except exc.DBAPIError as error:
            await session.close()
            if not is_unavailable(error):
                raise
            self.routing.replicas.unreachable(sessions, error)
            return self.request_reads, self.request_reads()
        return sessions, session

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
