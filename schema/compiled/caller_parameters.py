"""A plan built for a sentinel actor (policies/actor_shape.py), made a plan for every
caller of its shape: each bound value that holds a sentinel becomes a named parameter
whose value each request computes from its caller's ids.

A value the rewrite cannot reach would answer one caller with another's rows: the
rewritten expressions are compiled and refused (`None`) if any sentinel is left in their
SQL or in a value they bind (spelled into the text, hidden in a value it does not know how
to rewrite), or if the same build for the shape's twin actor, whose sentinels differ, does
not come out the same once its sentinels are read as the first's (a value derived from an
id in another way, an encoded id say).
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
    expressions: Sequence[ColumnElement[Any]],
    twin: Sequence[ColumnElement[Any]],
    from_twin: Mapping[int, int],
    dialect: Dialect,
) -> Parameterised | None:
    """EXPRESSIONS (one plan's, read in one statement) with their sentinel values as
    caller parameters; None when a sentinel would be left in them, or when TWIN (the same
    plan built for the twin actor, whose sentinels FROM_TWIN reads as the first's) differs."""
    done, done_twin = _rewritten(expressions), _rewritten(twin)
    if done is None or done_twin is None:
        return None
    compiled, compiled_twin = _compiled(done, dialect), _compiled(done_twin, dialect)
    if compiled is None or compiled != compiled_twin:
        return None
    templates = [parameter.template for parameter in done.parameters]
    twins = [substitute(parameter.template, from_twin) for parameter in done_twin.parameters]
    if templates != twins:
        return None
    return done


def _rewritten(expressions: Sequence[ColumnElement[Any]]) -> Parameterised | None:
    """EXPRESSIONS with each bind holding a sentinel made a caller parameter (None when a
    bind holds one in a value `substitute` does not rewrite)."""
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
    return None if unreachable else Parameterised(rewritten, tuple(parameters))


def _compiled(done: Parameterised, dialect: Dialect) -> tuple[str, list[Any]] | None:
    """The SQL of DONE's expressions and what it binds but the caller parameters (a value,
    or the function a value is read from at each run: the clock), as the compiler renders
    them (every bind it reaches, whatever element holds it); None when a sentinel is left
    in the SQL or a value."""
    try:
        compiled = sa.select(*done.expressions).compile(dialect=dialect)
    except sa.exc.SQLAlchemyError:
        return None
    binds = [
        bind
        for bind in compiled.binds.values()
        if not (bind.key.startswith(PREFIX) and bind.required)
    ]
    if SENTINEL.search(compiled.string) is not None or any(
        contains_sentinel(bind.effective_value) for bind in binds
    ):
        return None
    return compiled.string, [bind.callable or bind.value for bind in binds]
