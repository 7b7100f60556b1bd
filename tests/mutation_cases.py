"""The shape of one case of the every-mutation-is-audited walk.

Feature test modules build their own ``dict[str, Case]`` with this and the walk
(tests/schema/test_every_mutation_is_audited.py) merges them into CASES.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from schema.schema import schema
from tests.helpers import Api, Result
from tests.issue_helpers import entries_since, last_seq, mutate

Variables = Callable[[Api], Awaitable[dict[str, Any]]]


@dataclass
class Case:
    """ALLOWED succeeds and DENIED is refused with the input VARIABLES makes (it may first create
    what the call needs: that setup runs before the audit entries are counted); a refusal leaves
    TABLE and the ALSO tables as they were."""

    allowed: str
    denied: str
    variables: Variables
    table: type[SQLModel]
    also: tuple[type[SQLModel], ...] = ()

    @property
    def tables(self) -> tuple[type[SQLModel], ...]:
        return (self.table, *self.also)


def mutation_document(name: str) -> str:
    """The mutation NAME taking `input`, selecting only its type name."""
    field = schema._schema.mutation_type.fields[name]  # type: ignore[union-attr]
    input_type = field.args["input"].type
    return f"mutation ($input: {input_type}) {{ {name}(input: $input) {{ __typename }} }}"


async def snapshot(api: Api, tables: tuple[type[SQLModel], ...]) -> list[list[tuple[Any, ...]]]:
    """Every row of TABLES, to compare before and after a refused call."""
    rows_by_table = []
    async with api.db.read_sessions() as session:
        for table in tables:
            key = sa.inspect(table).primary_key
            rows = await session.execute(sa.select(table).order_by(*key))
            rows_by_table.append(
                [tuple(sorted(r.model_dump().items())) for r in rows.scalars().all()]
            )
    return rows_by_table


async def assert_refused(
    api: Api,
    name: str,
    input: dict[str, Any],
    *,
    as_: str,
    code: str,
    tables: tuple[type[SQLModel], ...],
    selection: str = "__typename",
    outcome: str | None = None,
) -> Result:
    """NAME is refused with CODE for AS_, leaves TABLES as they were and writes exactly one
    audit entry with OUTCOME: by default DENIED for FORBIDDEN and for records outside the
    caller's scope (which answer NOT_FOUND), REJECTED otherwise. Returns the result."""
    before = await snapshot(api, tables)
    seq = await last_seq(api)
    result = await mutate(api, name, input, as_=as_, selection=selection)
    assert result.codes == [code], (name, as_, result.errors)
    assert result.data is None or result.data.get(name) is None
    assert await snapshot(api, tables) == before
    (entry,) = await entries_since(api, seq)
    assert (entry.operation, entry.error_code) == (name, code)
    expected = outcome or ("DENIED" if code in ("FORBIDDEN", "NOT_FOUND") else "REJECTED")
    assert entry.outcome == expected
    assert entry.changes == []
    return result
