"""Console fixtures: the demo's people by role, and sign-in codes issued for them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from db.engine import Database
from demo.sample.city import demo_token_people
from resolvers.tokens.console import issue_sign_in_code
from tests.conftest import SECRET_KEY

IssueCode = Callable[[str], Awaitable[str]]


@pytest.fixture
async def people(db: Database) -> dict[str, int]:
    async with db.read_sessions() as session:
        by_role, _ = await demo_token_people(session)
    return by_role


@pytest.fixture
def issue_code(db: Database, people: dict[str, int]) -> IssueCode:
    async def issue(role: str) -> str:
        issued = await issue_sign_in_code(db, person_id=people[role], key=SECRET_KEY)
        return issued.code

    return issue
