"""SQL expressions that build a GraphQL answer's JSON inside the database, per dialect.

Every value is spelled exactly as strawberry would serialise it: timestamps as Python's
`isoformat()` of an aware UTC datetime, global ids as schema.ids encodes them, booleans
as JSON booleans. PostgreSQL builds `json`; SQLite builds text its JSON functions mark
as JSON (a subquery's result loses that mark, so nested objects go through `json()`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

# json_build_object takes at most 100 arguments on PostgreSQL: 50 keys and values.
MAX_KEYS = 50


def _key(name: str) -> ColumnElement[Any]:
    # Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*), checked by the parser.
    return sa.literal_column(f"'{name}'")


class JsonSql:
    """Builders of JSON values in one dialect (postgresql or sqlite)."""

    def __init__(self, dialect_name: str) -> None:
        self.postgres = dialect_name == "postgresql"

    def object(self, pairs: list[tuple[str, sa.SQLColumnExpression[Any]]]) -> ColumnElement[Any]:
        if len(pairs) > MAX_KEYS:
            raise ValueError(f"at most {MAX_KEYS} keys in one JSON object")
        arguments = [part for key, value in pairs for part in (_key(key), value)]
        if self.postgres:
            return sa.func.json_build_object(*arguments)
        return sa.func.json_object(*arguments)

    def nested(self, subquery: sa.ScalarSelect[Any]) -> ColumnElement[Any]:
        """A subquery's JSON object as a JSON value (null when it finds no row)."""
        return subquery if self.postgres else sa.func.json(subquery)

    def text(self, document: ColumnElement[Any]) -> ColumnElement[str]:
        """A built JSON value as the text the response splices."""
        return sa.cast(document, sa.Text) if self.postgres else document

    def literal(self, json_text: str) -> ColumnElement[Any]:
        """A constant JSON value (a list of enum names, say)."""
        quoted = json_text.replace("'", "''")
        if self.postgres:
            return sa.literal_column(f"CAST('{quoted}' AS json)")
        return sa.func.json(sa.literal_column(f"'{quoted}'"))

    def stored(self, column: sa.SQLColumnExpression[Any]) -> sa.SQLColumnExpression[Any]:
        """A JSON column's value as it is stored (PostgreSQL json; SQLite text)."""
        if self.postgres:
            return column
        return sa.func.json(column)

    def boolean(self, condition: ColumnElement[bool]) -> ColumnElement[Any]:
        if self.postgres:
            return condition
        return sa.func.json(sa.case((condition, "true"), else_="false"))

    def timestamp(self, column: sa.SQLColumnExpression[Any]) -> ColumnElement[Any]:
        """Python's isoformat() of the aware UTC value: microseconds only when not zero."""
        if self.postgres:
            utc = sa.func.timezone("UTC", column)
            seconds = sa.func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS', type_=sa.Text)
            micro = sa.func.to_char(utc, "US", type_=sa.Text)
            fraction = sa.case((micro == "000000", ""), else_=sa.literal(".") + micro)
            return sa.case((column.is_(None), sa.null()), else_=seconds + fraction + "+00:00")
        # SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy's storage format).
        stored = sa.cast(column, sa.Text)
        seconds = sa.func.replace(sa.func.substr(stored, 1, 19), " ", "T", type_=sa.Text)
        fraction = sa.case(
            (sa.func.substr(stored, 20).in_(["", ".000000"]), ""),
            else_=sa.func.substr(stored, 20, 7, type_=sa.Text),
        )
        return sa.case((column.is_(None), sa.null()), else_=seconds + fraction + "+00:00")

    def date(self, column: sa.SQLColumnExpression[Any]) -> ColumnElement[Any]:
        """Python's isoformat() of a date: YYYY-MM-DD (as SQLite stores it)."""
        if self.postgres:
            return sa.func.to_char(column, "YYYY-MM-DD", type_=sa.Text)
        return sa.cast(column, sa.Text)

    def global_id(self, type_name: str, column: sa.SQLColumnExpression[Any]) -> ColumnElement[Any]:
        """schema.ids.encode_id: base64 of "Type:id" (SQLite's base64 is db.engine's)."""
        spelled = sa.literal_column(f"'{type_name}:'", sa.Text) + sa.cast(column, sa.Text)
        if self.postgres:
            return sa.func.encode(sa.func.convert_to(spelled, "UTF8"), "base64")
        return sa.func.jinlin_base64(spelled)

    def cursor(self, tag: str, keys: Sequence[sa.SQLColumnExpression[Any]]) -> ColumnElement[Any]:
        """resolvers.cursors.encode_cursor of a row's KEYS (integers or strings; null for a
        null key): unpadded URL-safe base64 of `["TAG",key,...]`, a string key a JSON
        string as orjson writes it (UTF-8, not escaped). SQLite calls the resolvers' own
        spelling (db/engine.py jinlin_cursor)."""
        if not self.postgres:
            return sa.func.jinlin_cursor(sa.literal_column(f"'{tag}'", sa.Text), *keys)
        spelled: sa.ColumnElement[Any] = sa.literal_column(f"'[\"{tag}\"'", sa.Text)
        for key in keys:
            spelled = spelled + sa.literal_column("','", sa.Text) + self._cursor_value(key)
        spelled = spelled + sa.literal_column("']'", sa.Text)
        encoded = sa.func.encode(sa.func.convert_to(spelled, "UTF8"), "base64")
        # PostgreSQL breaks base64 into lines of 76: translate drops the newlines.
        url_safe = sa.func.translate(encoded, sa.literal_column("E'+/\\n'"), "-_")
        return sa.func.rtrim(url_safe, "=")

    @staticmethod
    def _cursor_value(key: sa.SQLColumnExpression[Any]) -> ColumnElement[Any]:
        """KEY's value as the cursor's JSON spells it (PostgreSQL's to_json escapes a string
        as orjson does: quotes, backslashes and control characters only)."""
        key_type = getattr(key, "type", None)
        if isinstance(key_type, sa.TypeDecorator):
            key_type = key_type.impl_instance  # sqlmodel's AutoString is a String
        if isinstance(key_type, sa.Integer):
            return sa.cast(key, sa.Text)
        if isinstance(key_type, sa.String):
            return sa.cast(sa.func.to_json(sa.cast(key, sa.Text)), sa.Text)
        raise TypeError(f"a cursor key of type {key_type!r}")
