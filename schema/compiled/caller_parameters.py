"""A plan built for a sentinel actor (policies/actor_shape.py), made a plan for every
caller of its shape: each bound value that holds a sentinel becomes a named parameter
whose value each request computes from its caller's ids.

A value the rewrite cannot reach (spelled into the SQL text, hidden in a value it does not
know how to rewrite) would answer one caller with another's rows: the rewritten
expressions are compiled and refused (`None`) if any sentinel is left in their SQL or in
a value they bind.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.visitors import replacement_traverse

from policies.actor_shape import SENTINEL, contains_sentinel, substitutable, substitute

PREFIX = "caller_"


@dataclass(frozen=True)
class CallerParameter:
    """The parameter NAME, bound for a caller to TEMPLATE with its sentinels replaced."""

    name: str
    template: Any

    def value(self, real: Mapping[int, int]) -> Any:
        return substitute(self.template, real)


@dataclass(frozen=True)
class Parameterised:
    expressions: list[ColumnElement[Any]]
    parameters: tuple[CallerParameter, ...]


def parameterised(
    expressions: Sequence[ColumnElement[Any]], dialect: Dialect
) -> Parameterised | None:
    """EXPRESSIONS (one plan's, read in one statement) with their sentinel values as
    caller parameters; None when a sentinel would be left in them."""
    names = (f"{PREFIX}{number}" for number in itertools.count())
    replaced: dict[int, BindParameter[Any]] = {}
    parameters: list[CallerParameter] = []
    unreachable = False

    def replace(element: Any, **kw: Any) -> Any:
        nonlocal unreachable
        if not isinstance(element, BindParameter) or element.key.startswith(PREFIX):
            return None
        if id(element) in replaced:
            return replaced[id(element)]
        if element.callable is not None or not contains_sentinel(element.value):
            return None
        if not substitutable(element.value):
            unreachable = True
            return None
        name = next(names)
        parameter = sa.bindparam(
            name,
            type_=element.type,
            expanding=element.expanding,
            literal_execute=element.literal_execute,
            required=True,
        )
        replaced[id(element)] = parameter
        parameters.append(CallerParameter(name, element.value))
        return parameter

    rewritten = [replacement_traverse(expression, {}, replace) for expression in expressions]
    if unreachable or not _clean(rewritten, dialect):
        return None
    return Parameterised(rewritten, tuple(parameters))


def _clean(expressions: list[ColumnElement[Any]], dialect: Dialect) -> bool:
    """Whether no sentinel is left in the SQL of EXPRESSIONS nor in a value they bind,
    as the compiler renders them (every bind it reaches, whatever element holds it)."""
    try:
        compiled = sa.select(*expressions).compile(dialect=dialect)
    except sa.exc.SQLAlchemyError:
        return False
    if SENTINEL.search(compiled.string) is not None:
        return False
    for bind in compiled.binds.values():
        if bind.key.startswith(PREFIX) and bind.required:
            continue
        if contains_sentinel(bind.effective_value):
            return False
    return True
