"""Feed a range of the audit chain to a walk, straight from the database driver.

Verification spends its time per row, so a worker reads its range through the
driver itself, with nothing between the driver's tuples and the hashing: on
SQLite the sqlite3 cursor, on PostgreSQL a server-side (named) psycopg cursor, so
that memory stays flat however long the range. JSON columns come back as the text
stored (the writer hashed that text), never parsed.

On SQLite, json_array also encodes each entry's scalar fields inside SQLite (C, no
Python object a column). PostgreSQL gets plain columns: its JSON functions cost the
server, which shares the machine's cores, about what they would save here.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa

from db.audit_canonical import ARRAY_HASH, ARRAY_PREV, CHECK_FIELDS, SCALAR_FIELDS
from db.audit_store import Walk
from db.engine import is_sqlite, sync_url

_COLUMNS = ", ".join(CHECK_FIELDS)
_WHERE = "FROM audit_entry WHERE seq > {lo} AND seq <= {hi} ORDER BY seq"
SQLITE_SQL = f"SELECT {_COLUMNS} {_WHERE.format(lo=':lo', hi=':hi')}"
POSTGRESQL_SQL = f"SELECT {_COLUMNS} {_WHERE.format(lo='%(lo)s', hi='%(hi)s')}"
# SQLite encodes the scalars itself (ARRAY_FIELDS order): a third of the Python work an entry.
SQLITE_ARRAY_SQL = (
    f"SELECT seq, prev_hash, hash, json_array({', '.join(SCALAR_FIELDS)}), occurred_at, "
    f"input, changes {_WHERE.format(lo=':lo', hi=':hi')}"
)
SQLITE_ENTRY_SQL = f"SELECT {_COLUMNS} FROM audit_entry WHERE seq = ?"  # noqa: S608


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
    if lo + 1 >= walk.keyed_from and _sqlite_arrays(driver, walk, lo, hi, fetch):
        return
    cursor = driver.cursor()
    try:
        cursor.execute(SQLITE_SQL, {"lo": lo, "hi": hi})
        while (rows := cursor.fetchmany(fetch)) and walk.step(rows):
            pass
    finally:
        cursor.close()


def _sqlite_arrays(driver: Any, walk: Walk, lo: int, hi: int, fetch: int) -> bool:
    """The walk over rows whose scalars SQLite's json_array encoded; False when this SQLite
    has no JSON functions (then nothing was walked).

    json_array is a faithful JSON encoding of the stored values, so a hash that matches
    proves the entry as Python's encoding would. Where it does not match (an entry changed,
    or json_array escaped a character otherwise than Python), the entry is hashed again
    from its plain columns before the walk judges it: the verdict is the plain walk's.
    """
    cursor, again = driver.cursor(), driver.cursor()
    try:
        try:
            cursor.execute(SQLITE_ARRAY_SQL, {"lo": lo, "hi": hi})
        except sqlite3.OperationalError:
            return False
        hasher = walk.hasher
        while rows := cursor.fetchmany(fetch):
            hashes = hasher.array_hashes(rows)
            for index, row in enumerate(rows):
                if hashes[index] != row[ARRAY_HASH]:
                    # Read in the same transaction as the chunk (its statement is still open).
                    entry = again.execute(SQLITE_ENTRY_SQL, (row[0],)).fetchall()
                    hashes[index] = hasher.hashes(entry)[0] if entry else ""
            if not walk.follow(rows, hashes, ARRAY_PREV, ARRAY_HASH):
                break
        return True
    finally:
        cursor.close()
        again.close()


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
