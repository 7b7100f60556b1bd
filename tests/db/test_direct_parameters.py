"""A kept statement's parameters are what SQLAlchemy's construct_params builds, every run."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import col

from db.direct_parameters import Parameters
from db.models import Issue, IssueStatus
from resolvers.issues.queries import clock_now

DIALECT = postgresql.dialect()


def _compiled(statement: sa.Select[Any], cache: dict[Any, Any]) -> tuple[SQLCompiler, Any]:
    compiled, extracted, _, _ = statement._compile_w_cache(
        DIALECT, compiled_cache=cache, column_keys=[], for_executemany=False
    )
    assert isinstance(compiled, SQLCompiler)
    return compiled, extracted


def _expected(compiled: SQLCompiler, extracted: Any, given: dict[str, Any]) -> dict[str, Any]:
    """What SQLAlchemy's execution hands the driver (engine/default.py _init_compiled)."""
    values = compiled.construct_params(
        given or None, extracted_parameters=extracted, escape_names=False
    )
    processors = compiled._bind_processors
    escaped = compiled.escaped_bind_names or {}
    return {
        escaped.get(name, name): processors[name](value) if name in processors else value  # type: ignore[operator]
        for name, value in values.items()
    }


def _statement(title: str, status: IssueStatus, since: datetime) -> sa.Select[Any]:
    return sa.select(col(Issue.id)).where(
        col(Issue.title) == title,
        col(Issue.status) == status,
        col(Issue.created_at) >= since,
        col(Issue.compound_id) == sa.bindparam("compound", type_=sa.Integer),
        col(Issue.due_at) < clock_now(),
    )


FIRST = _statement("漏水", IssueStatus.REPORTED, datetime(2026, 1, 1, tzinfo=UTC))
SECOND = _statement("電梯", IssueStatus.CLOSED, datetime(2026, 6, 1, tzinfo=UTC))


def _without_clock(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not k.startswith("now")}


@pytest.mark.parametrize("given", [{"compound": 7}, {"compound": 7, "unrelated": 1}])
def test_the_values_are_sqlalchemys(given: dict[str, Any]) -> None:
    compiled, extracted = _compiled(FIRST, {})
    found = Parameters(compiled, extracted).values(given)
    expected = _expected(compiled, extracted, given)
    assert found.keys() == expected.keys()
    assert _without_clock(found) == _without_clock(expected)
    assert found["compound"] == 7
    assert isinstance(found["status_1"], str)  # the enum processed as SQLAlchemy stores it


def test_a_statement_compiled_before_from_another_takes_its_own_values() -> None:
    cache: dict[Any, Any] = {}
    _compiled(FIRST, cache)
    compiled, extracted = _compiled(SECOND, cache)  # found in the cache: FIRST's compilation
    found = Parameters(compiled, extracted).values({"compound": 3})
    assert _without_clock(found) == _without_clock(_expected(compiled, extracted, {"compound": 3}))
    assert "電梯" in found.values() and "漏水" not in found.values()


def test_the_clock_is_read_at_each_run() -> None:
    compiled, extracted = _compiled(FIRST, {})
    parameters = Parameters(compiled, extracted)
    clock = [k for k in parameters.values({"compound": 1}) if k.startswith("now")]
    assert len(clock) == 1
    first = parameters.values({"compound": 1})[clock[0]]
    time.sleep(0.002)
    second = parameters.values({"compound": 1})[clock[0]]
    assert second > first


def test_a_required_value_left_out_is_refused_as_sqlalchemy_refuses_it() -> None:
    compiled, extracted = _compiled(FIRST, {})
    with pytest.raises(sa.exc.InvalidRequestError, match="compound"):
        Parameters(compiled, extracted).values({})
