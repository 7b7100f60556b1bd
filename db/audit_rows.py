"""Feed a range of the audit chain to a walk, straight from the database driver.

Verification spends its time per row, so a worker reads its range through the
driver itself, with nothing between the driver's tuples and the hashing: on
SQLite the sqlite3 cursor, on PostgreSQL a server-side (named) psycopg cursor, so
that memory stays flat however long the range. JSON columns come back as the text
stored (the writer hashed that text), never parsed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from db.audit_canonical import CHECK_FIELDS
from db.audit_store import Walk
from db.engine import is_sqlite, sync_url

_COLUMNS = ", ".join(CHECK_FIELDS)
_WHERE = "FROM audit_entry WHERE seq > {lo} AND seq <= {hi} ORDER BY seq"
SQLITE_SQL = f"SELECT {_COLUMNS} {_WHERE.format(lo=':lo', hi=':hi')}"
POSTGRESQL_SQL = f"SELECT {_COLUMNS} {_WHERE.format(lo='%(lo)s', hi='%(hi)s')}"


def walk_range(url: str, walk: Walk, lo: int, hi: int, fetch: int) -> None:
    """Step WALK over the entries lo+1 .. hi in seq order, FETCH rows at a time, until
    the range ends or the walk finds a break."""
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)
    try:
        connection = engine.raw_connection()
        try:
            driver = connection.driver_connection
            if is_sqlite(url):
                _sqlite(driver, walk, lo, hi, fetch)
            else:
                _postgresql(driver, walk, lo, hi, fetch)
        finally:
            connection.close()
    finally:
        engine.dispose()


def _sqlite(driver: Any, walk: Walk, lo: int, hi: int, fetch: int) -> None:
    cursor = driver.cursor()
    try:
        cursor.execute(SQLITE_SQL, {"lo": lo, "hi": hi})
        while (rows := cursor.fetchmany(fetch)) and walk.step(rows):
            pass
    finally:
        cursor.close()


def _postgresql(driver: Any, walk: Walk, lo: int, hi: int, fetch: int) -> None:
    # Imported here: only PostgreSQL needs the driver (SQLite installs have it anyway).
    from psycopg.types.string import TextLoader

    # Times as UTC text in ISO style, which db.audit_canonical.iso reads without parsing.
    driver.execute("SET LOCAL TIME ZONE 'UTC'")
    driver.execute("SET LOCAL DateStyle TO ISO")
    with driver.cursor(name="audit_verify") as cursor:
        # json as its stored text (no parsing, and no cast for the server to run); times as text.
        cursor.adapters.register_loader("json", TextLoader)
        cursor.adapters.register_loader("timestamptz", TextLoader)
        cursor.itersize = fetch
        cursor.execute(POSTGRESQL_SQL, {"lo": lo, "hi": hi})
        while (rows := cursor.fetchmany(fetch)) and walk.step(rows):
            pass
    driver.rollback()  # a read: nothing to keep, and the server-side cursor's snapshot ends
