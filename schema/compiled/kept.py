"""An expression whose SQLAlchemy cache key is computed once, when its plan is built.

SQLAlchemy finds a statement's compiled SQL by a cache key it derives from the whole
expression tree on every execution; for a page's node documents (a few hundred elements)
that walk costs more than the rest of the request's statement. The documents of a kept
plan (schema/compiled/plans.py) do not change, so their key is taken once and handed out
again, with the same bound parameters (the clock's is read at each execution). Two
plans of the same shape still share one compiled statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.cache_key import CacheKey
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement

from schema.compiled.selection import NotCompilable


class KeptExpression(ColumnElement[Any]):
    inherit_cache = False  # its own _gen_cache_key below

    def __init__(self, inner: ColumnElement[Any]) -> None:
        self.inner = inner
        self.type = inner.type
        key = inner._generate_cache_key()
        if key is None:  # then the resolvers answer, rather than compiling on every request
            raise NotCompilable("an expression SQLAlchemy cannot cache")
        self._key: CacheKey = key

    @property
    def _from_objects(self) -> list[Any]:
        return self.inner._from_objects

    def _gen_cache_key(self, anon_map: Any, bindparams: list[Any]) -> tuple[Any, ...]:
        bindparams.extend(self._key.bindparams)
        return (KeptExpression, self._key.key)


@compiles(KeptExpression)
def _compile(element: KeptExpression, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.inner, **kw)
