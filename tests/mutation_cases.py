"""The shape of one case of the every-mutation-is-audited walk.

Feature test modules build their own ``dict[str, Case]`` with this and the walk
(tests/schema/test_every_mutation_is_audited.py) merges them into CASES.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import SQLModel

from tests.helpers import Api

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
