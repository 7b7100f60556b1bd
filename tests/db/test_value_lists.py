"""IN over values known when a statement is built: one parameter per value, no expanding."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from db.engine import Database
from db.models import Issue, IssueStatus
from db.value_lists import in_values

OPEN = [IssueStatus.REPORTED, IssueStatus.CLAIMED, IssueStatus.IN_PROGRESS]


def test_the_values_are_parameters_of_their_own_so_the_sql_never_changes() -> None:
    compiled = sa.select(col(Issue.id)).where(in_values(col(Issue.status), OPEN)).compile()
    assert not compiled.post_compile_params and not compiled.literal_execute_params
    assert str(compiled).count("status IN (") == 1
    assert len(compiled.params) == len(OPEN)


def test_no_values_match_nothing_and_one_value_is_an_equality() -> None:
    assert str(in_values(col(Issue.id), [])) == "false"
    assert "=" in str(in_values(col(Issue.id), [7]))


async def test_it_selects_what_in_selects(db: Database) -> None:
    async with db.read_sessions() as session:
        expected = await session.execute(
            sa.select(col(Issue.id)).where(col(Issue.status).in_(OPEN)).order_by(col(Issue.id))
        )
        found = await session.execute(
            sa.select(col(Issue.id))
            .where(in_values(col(Issue.status), OPEN))
            .order_by(col(Issue.id))
        )
        ids = found.scalars().all()
        assert ids and ids == expected.scalars().all()
