"""Whether SQLite can parse a compiled document: its parser's stack is fixed (a hundred
entries before SQLite 3.46), and a selection nesting connections and related objects deep
enough overflows it ("parser stack overflow"), which would turn a read into an internal
error. Parsing happens before any name is resolved, so an empty in-memory database tells:
a document it cannot parse is left to the resolvers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlalchemy.engine import Dialect

from schema.compiled.selection import NotCompilable

_parser = sqlite3.connect(":memory:", check_same_thread=False)


def check_parses(documents: Iterable[Any], dialect: Dialect) -> None:
    """Refuse DOCUMENTS (SQL expressions) SQLite's parser cannot take."""
    for document in documents:
        spelled = str(document.compile(dialect=dialect))
        try:
            _parser.execute(f"EXPLAIN SELECT {spelled}")
        except sqlite3.OperationalError as refused:
            if "parser stack overflow" in str(refused):
                raise NotCompilable("a selection nested deeper than SQLite parses") from refused
        except sqlite3.Error:
            pass  # parsed: the names it reads are not in this empty database
