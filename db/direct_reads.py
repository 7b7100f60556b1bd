"""Column reads sent straight to psycopg, for the statements every request runs.

SQLAlchemy's execution of a statement it has compiled before still costs ~0.1 ms of CPU
on top of the driver's own (ORM compile state, execution context, cursor metadata, result
processing set-up), half the cost of a short read. A request's reads that select columns,
not ORM entities, come here instead: the statement is compiled once per statement object
(SQLAlchemy's compiled cache when the object is new), its parameters are built and bound
exactly as SQLAlchemy builds them (the same bind and result processors), and the driver
runs it on the session's own connection, inside whatever transaction the session began.
The statement counter's `before_cursor_execute` listeners still see every statement.

Only psycopg with named parameters; anything else (SQLite, expanding parameters, entity
reads) returns None and takes SQLAlchemy's path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from sqlalchemy import exc
from sqlalchemy.engine import Dialect, Result
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler

from db.direct_parameters import Parameters

# Off: every read takes SQLAlchemy's path (the tests compare the two).
ENABLED = True


@dataclass
class _Prepared:
    """A statement as the driver runs it."""

    compiled: SQLCompiler
    sql: str
    parameters: Parameters
    keys: tuple[str, ...]
    # Per result type OIDs, the rows' metadata with each column's processor (None where the
    # driver's value is the answer): some processors depend on the type the server reports
    # (numeric), so they are chosen at the first run. SQLAlchemy's rows apply them as they
    # are made, as a cursor result's do.
    metadata: dict[tuple[int, ...], SimpleResultMetaData] = field(default_factory=dict)

    def metadata_for(self, dialect: Dialect, oids: tuple[int, ...]) -> SimpleResultMetaData:
        found = self.metadata.get(oids)
        if found is None:
            types = [type_ for _, _, _, type_ in self.compiled._result_columns]
            processors = [
                type_._cached_result_processor(dialect, oid)
                for type_, oid in zip(types, oids, strict=True)
            ]
            found = SimpleResultMetaData(self.keys, _processors=processors)
            self.metadata[oids] = found
        return found


# Kept per statement object: kept statements (resolvers/kept_pages.py, the token lookup)
# live for the process, a statement built for one request leaves with it.
_prepared: WeakKeyDictionary[Select[Any], _Prepared | None] = WeakKeyDictionary()


def _is_column_read(statement: Any) -> bool:
    """A SELECT of columns only: an entity (select(Issue)) needs the ORM to build objects."""
    if not isinstance(statement, Select):
        return False
    return not any(
        isinstance(description.get("expr"), type) for description in statement.column_descriptions
    )


def _prepare(connection: AsyncConnection, statement: Select[Any]) -> _Prepared | None:
    sync = connection.sync_connection
    assert sync is not None
    dialect = sync.dialect
    compiled, extracted, _, _ = statement._compile_w_cache(
        dialect,
        compiled_cache=sync.engine._compiled_cache,
        column_keys=[],
        for_executemany=False,
        linting=dialect.compiler_linting,
    )
    assert isinstance(compiled, SQLCompiler)
    if (
        compiled.positional
        or compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.schema_translate_map
    ):
        return None
    return _Prepared(
        compiled=compiled,
        sql=compiled.string,
        parameters=Parameters(compiled, extracted),
        keys=tuple(name for name, *_ in compiled._result_columns),
    )


def _prepared_for(connection: AsyncConnection, statement: Select[Any]) -> _Prepared | None:
    try:
        return _prepared[statement]
    except KeyError:
        prepared = _prepare(connection, statement) if _is_column_read(statement) else None
        _prepared[statement] = prepared
        return prepared


# Where a read runs: a session, or (a request's column reads) a pooled connection itself.
Reader = AsyncSession | AsyncConnection


async def read_columns(
    reader: Reader, statement: Any, parameters: Mapping[str, Any] | None = None
) -> Result[Any] | None:
    """STATEMENT's rows as SQLAlchemy would return them, run by psycopg directly; None
    when the statement or the reader's database needs SQLAlchemy's own execution."""
    if not ENABLED or not isinstance(statement, Select):
        return None
    bind = reader.bind if isinstance(reader, AsyncSession) else reader
    if bind is None or bind.dialect.name != "postgresql":
        return None
    connection, driver = (
        await _driver_of(reader)
        if isinstance(reader, AsyncSession)
        else (reader, await _driver_of_connection(reader))
    )
    prepared = _prepared_for(connection, statement)
    if prepared is None or driver is None:
        return None
    values = prepared.parameters.values(parameters)
    sync = connection.sync_connection
    assert sync is not None
    dispatch = sync.engine.dispatch
    if dispatch.before_cursor_execute:
        dispatch.before_cursor_execute(sync, None, prepared.sql, values, None, False)
    try:
        cursor = driver.cursor()
        await cursor.execute(prepared.sql, values)
        rows = await cursor.fetchall()
    except psycopg.Error as error:
        raise await _wrapped(connection, prepared.sql, values, error) from error
    result = cursor.pgresult
    assert result is not None
    oids = tuple(result.ftype(column) for column in range(result.nfields))
    return IteratorResult(prepared.metadata_for(sync.dialect, oids), iter(rows))


_DRIVER_KEY = "jinlin_direct_reads"


async def _driver_of(
    session: AsyncSession,
) -> tuple[AsyncConnection, psycopg.AsyncConnection[Any] | None]:
    """The session's connection and its psycopg connection. Kept in the session's info for
    as long as its transaction lasts: a rollback or close hands the connection back to the
    pool, and the next transaction may be lent another."""
    transaction = session.sync_session.get_transaction()
    kept = session.info.get(_DRIVER_KEY)
    if kept is not None and transaction is not None and kept[0] is transaction:
        return kept[1], kept[2]
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    psycopg_driver = driver if isinstance(driver, psycopg.AsyncConnection) else None
    session.info[_DRIVER_KEY] = (session.sync_session.get_transaction(), connection, psycopg_driver)
    return connection, psycopg_driver


async def _driver_of_connection(connection: AsyncConnection) -> psycopg.AsyncConnection[Any] | None:
    """CONNECTION's psycopg connection; read without a greenlet's round while the pooled
    connection is there and valid (SQLAlchemy's own accessor may have to reconnect)."""
    sync = connection.sync_connection
    pooled = None if sync is None else sync._dbapi_connection
    if pooled is None or not pooled.is_valid:
        pooled = await connection.get_raw_connection()
    driver = pooled.driver_connection
    return driver if isinstance(driver, psycopg.AsyncConnection) else None


async def _wrapped(
    connection: AsyncConnection, sql: str, values: dict[str, Any], error: psycopg.Error
) -> exc.StatementError:
    """The error as SQLAlchemy would raise it; a broken connection is invalidated, so the
    pool never lends it again (and is_unavailable recognises it)."""
    raw = await connection.get_raw_connection()
    broken = bool(getattr(raw.driver_connection, "broken", False))
    if broken:
        await connection.invalidate(error)
    return exc.DBAPIError.instance(
        sql,
        values,
        error,
        psycopg.Error,
        connection_invalidated=broken,
        dialect=connection.dialect,
    )


async def execute_read(
    reader: Reader, statement: Any, parameters: Mapping[str, Any] | None = None
) -> Result[Any]:
    """A read in READER: straight to the driver where it can go, else SQLAlchemy's way."""
    result = await read_columns(reader, statement, parameters)
    if result is not None:
        return result
    executed: Result[Any] = await reader.execute(statement, parameters)
    return executed
