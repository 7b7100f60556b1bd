"""Writing many rows fast: COPY on PostgreSQL, batched executemany on SQLite.

Rows come as dicts keyed by column name, already holding the values the tables store
(aware UTC datetimes, enum members, JSON-able dicts and lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

import sqlalchemy as sa
from psycopg.types.json import Json
from sqlmodel import SQLModel

from db.engine import is_sqlite, sync_url

SQLITE_BATCH = 5_000


class BulkWriter:
    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = is_sqlite(url)
        self.engine = sa.create_engine(sync_url(url))

    def close(self) -> None:
        self.engine.dispose()

    def table(self, name: str) -> sa.Table:
        return SQLModel.metadata.tables[name]

    def write(self, name: str, rows: Iterable[dict[str, Any]]) -> int:
        table = self.table(name)
        if self.sqlite:
            return self._executemany(table, rows)
        return self._copy(table, rows)

    def _executemany(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
        written = 0
        batch: list[dict[str, Any]] = []
        with self.engine.begin() as connection:
            for row in rows:
                batch.append(row)
                if len(batch) >= SQLITE_BATCH:
                    connection.execute(table.insert(), batch)
                    written += len(batch)
                    batch = []
            if batch:
                connection.execute(table.insert(), batch)
                written += len(batch)
        return written

    def _copy(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> int:
        columns = [column.name for column in table.columns]
        json_columns = {column.name for column in table.columns if isinstance(column.type, sa.JSON)}
        quoted = ", ".join(f'"{name}"' for name in columns)
        written = 0
        raw = self.engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(
                        [_plain(row.get(name), name in json_columns) for name in columns]
                    )
                    written += 1
            raw.commit()
        finally:
            raw.close()
        return written

    def execute(self, statement: str, **params: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.text(statement), params)

    def scalar(self, statement: str) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(sa.text(statement)).scalar()

    def restart_sequences(self, tables: Iterable[str]) -> None:
        """After writing ids by hand, let PostgreSQL's sequences continue from the largest."""
        if self.sqlite:
            return  # SQLite's rowid continues from the largest id by itself
        with self.engine.begin() as connection:
            for name in tables:
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f'COALESCE((SELECT MAX(id) FROM "{name}"), 1))'
                    )
                )

    def analyze(self) -> None:
        """Fresh statistics, so the planner sees the city as it now is."""
        with self.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def _plain(value: Any, is_json: bool) -> Any:
    if is_json and value is not None:
        return Json(value)
    if isinstance(value, Enum):
        return value.value
    return value
