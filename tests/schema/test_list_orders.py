"""The sort orders of the lists a frontend shows (`orderBy` on issues, people, positions and
organisations): each walked forward and backward gives the caller's whole list, in the order
a plain sorted read of the same rows gives, and the same rows as the list's default order."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import STATUS_RANK, Issue, IssueStatus, Organisation, Person, Position
from resolvers.cursors import connection_tag, encode_cursor
from resolvers.issues.queries import ORDERS as ISSUE_ORDERS
from resolvers.issues.queries import IssueOrder
from resolvers.organisations.queries import ORDERS as ORGANISATION_ORDERS
from resolvers.pagination import Ordering
from resolvers.people.queries import ORDERS as PERSON_ORDERS
from resolvers.positions.queries import ORDERS as POSITION_ORDERS
from resolvers.positions.queries import PositionOrder
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import issue_in, row

# field -> (node type, its table's orders by name, the default order)
LISTS: dict[str, tuple[str, dict[str, Ordering], str]] = {
    "people": ("Person", {k.value: v for k, v in PERSON_ORDERS.items()}, "NAME"),
    "positions": ("Position", {k.value: v for k, v in POSITION_ORDERS.items()}, "APPOINTED"),
    "organisations": (
        "Organisation",
        {k.value: v for k, v in ORGANISATION_ORDERS.items()},
        "NAME",
    ),
    "issues": ("Issue", {k.value: v for k, v in ISSUE_ORDERS.items()}, "NEWEST"),
}
TABLES = {"Person": Person, "Position": Position, "Organisation": Organisation, "Issue": Issue}
CASES = [(field, order) for field, (_, orders, _) in LISTS.items() for order in orders]
ROLES = ["secretary", "supervisor", "resident"]


def _query(field: str) -> str:
    enum = {"people": "PersonOrder", "positions": "PositionOrder"}.get(
        field, "OrganisationOrder" if field == "organisations" else "IssueOrder"
    )
    return f"""
query ($order: {enum}!, $first: Int, $after: String, $last: Int, $before: String) {{
  {field}(orderBy: $order, first: $first, after: $after, last: $last, before: $before) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    edges {{ cursor node {{ id }} }} }} }}
"""


async def walk(
    api: Api, field: str, order: str, role: str, *, size: int, backward: bool
) -> list[int]:
    """The ids of the whole list, page by page, from its start or from its end."""
    node_type = LISTS[field][0]
    ids: list[int] = []
    cursor = None
    while True:
        window: dict[str, Any] = (
            {"last": size, "before": cursor} if backward else {"first": size, "after": cursor}
        )
        result = await api.run(_query(field), {"order": order, **window}, as_=role)
        page = result.ok()[field]
        found = [decode_id(edge["node"]["id"], node_type) for edge in page["edges"]]
        assert len(found) <= size
        ids = found + ids if backward else ids + found
        info = page["pageInfo"]
        if not (info["hasPreviousPage"] if backward else info["hasNextPage"]):
            assert len(ids) == page["totalCount"]
            return ids
        cursor = info["startCursor"] if backward else info["endCursor"]


async def sorted_read(api: Api, field: str, order: str, ids: list[int]) -> list[int]:
    """IDS in ORDER, sorted by the database in one plain statement (no keyset, no paging)."""
    node_type, orders, _ = LISTS[field]
    keys, descending = orders[order]
    table = TABLES[node_type]
    direction = sa.desc if descending else sa.asc
    async with api.db.read_sessions() as session:
        rows = await session.execute(
            sa.select(table.id)  # type: ignore[attr-defined]
            .where(table.id.in_(ids))  # type: ignore[attr-defined]
            .order_by(*(direction(key) for key in keys))
        )
        return list(rows.scalars())


@pytest.mark.parametrize(("field", "order"), CASES)
@pytest.mark.parametrize("role", ROLES)
async def test_each_order_reads_the_same_both_ways_as_a_sorted_read(
    api: Api, field: str, order: str, role: str
) -> None:
    size = 60 if field == "issues" else 7
    forward = await walk(api, field, order, role, size=size, backward=False)
    assert await walk(api, field, order, role, size=size, backward=True) == forward
    assert len(set(forward)) == len(forward)
    assert forward == await sorted_read(api, field, order, forward)
    # Sorting never widens nor narrows what the caller may see.
    default = LISTS[field][2]
    assert set(forward) == set(await walk(api, field, default, role, size=100, backward=False))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=st.sampled_from([case for case in CASES if case[0] != "issues"]),
    role=st.sampled_from(ROLES),
    size=st.integers(2, 9),
)
async def test_any_page_size_walks_an_order_the_same_both_ways(
    api: Api, case: tuple[str, str], role: str, size: int
) -> None:
    field, order = case
    forward = await walk(api, field, order, role, size=size, backward=False)
    assert await walk(api, field, order, role, size=size, backward=True) == forward
    assert forward == await sorted_read(api, field, order, forward)


async def test_status_order_keeps_to_the_callers_compound_both_ways(api: Api) -> None:
    for backward in (False, True):
        ids = await walk(api, "issues", "STATUS", "resident", size=100, backward=backward)
        async with api.db.read_sessions() as session:
            compounds = set(
                (await session.execute(sa.select(Issue.compound_id).where(Issue.id.in_(ids))))  # type: ignore[union-attr]
                .scalars()
                .all()
            )
        assert compounds == {api.compound("a")}


async def test_an_issues_status_rank_follows_its_lifecycle(api: Api) -> None:
    """The rank behind the STATUS order moves with the status, through every transition."""
    for status in ("REPORTED", "IN_PROGRESS", "CLOSED", "REOPENED", "ESCALATED"):
        issue = await issue_in(api, status)
        stored = await row(api, issue["id"])
        assert stored.status_rank == STATUS_RANK[IssueStatus(status)]


def test_the_status_order_is_the_documented_one() -> None:
    assert sorted(IssueStatus, key=STATUS_RANK.__getitem__) == [
        IssueStatus.REPORTED,
        IssueStatus.CLAIMED,
        IssueStatus.IN_PROGRESS,
        IssueStatus.REOPENED,
        IssueStatus.ESCALATED,
        IssueStatus.RESOLVED,
        IssueStatus.CLOSED,
        IssueStatus.REJECTED,
        IssueStatus.DUPLICATE,
    ]
    assert ISSUE_ORDERS[IssueOrder.STATUS].descending is False


@pytest.mark.parametrize("field", ["people", "positions", "organisations"])
async def test_a_cursor_of_one_order_is_refused_by_another(api: Api, field: str) -> None:
    _, orders, default = LISTS[field]
    other = next(order for order in orders if order != default)
    first = await api.run(_query(field), {"order": default, "first": 2}, as_="secretary")
    cursor = first.ok()[field]["pageInfo"]["endCursor"]
    result = await api.run(
        _query(field), {"order": other, "first": 2, "after": cursor}, as_="secretary"
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "another list" in result.errors[0]["message"]


@pytest.mark.parametrize("values", [["yesterday", 1], [20250101, 1], ["2025-02-30", 1]])
async def test_a_term_start_cursor_that_is_no_day_is_bad_user_input(
    api: Api, values: list[Any]
) -> None:
    ordering = POSITION_ORDERS[PositionOrder.TERM_START_OLDEST]
    cursor = encode_cursor(connection_tag(ordering.keys, ordering.descending), values)
    result = await api.run(
        _query("positions"),
        {"order": "TERM_START_OLDEST", "first": 2, "after": cursor},
        as_="secretary",
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "cursor is not one this API gave out" in result.errors[0]["message"]


async def test_positions_by_holder_name_follow_a_rename_and_tie_by_appointment(api: Api) -> None:
    """PERSON_NAME reads the holder's name as it is now (nothing copied to go stale), and
    the positions of people of one name come by appointment, whichever way they are read."""
    before = await walk(api, "positions", "PERSON_NAME", "secretary", size=3, backward=False)
    first, last = before[0], before[-1]

    def holder(position: int) -> Any:
        return sa.select(Position.person_id).where(Position.id == position).scalar_subquery()

    async with api.db.write() as session:
        name = await session.execute(sa.select(Person.name).where(Person.id == holder(first)))
        lowest = name.scalar_one()
        await session.execute(
            sa.update(Person).where(Person.id == holder(last)).values(name=lowest)
        )
    named = sa.select(Person.id).where(Person.name == lowest)
    tied = await api.scalar(
        sa.select(sa.func.count()).where(Position.id.in_(before), Position.person_id.in_(named))  # type: ignore[union-attr,attr-defined]
    )
    for backward in (False, True):
        after = await walk(api, "positions", "PERSON_NAME", "secretary", size=3, backward=backward)
        assert last in after[:tied] and after[:tied] == sorted(after[:tied]), (before, after)
        assert after == await sorted_read(api, "positions", "PERSON_NAME", after)


@pytest.mark.parametrize(
    ("field", "order"),
    [("people", "NAME"), ("organisations", "NAME"), ("positions", "PERSON_NAME")],
)
async def test_a_name_cursor_that_holds_no_name_is_bad_user_input(
    api: Api, field: str, order: str
) -> None:
    """A name key is a string column (sqlmodel's AutoString, a type decorator): a forged
    cursor with a number in its place is the caller's mistake, not read as a name."""
    ordering = LISTS[field][1][order]
    cursor = encode_cursor(connection_tag(ordering.keys, ordering.descending), [123, 1])
    result = await api.run(
        _query(field), {"order": order, "first": 2, "after": cursor}, as_="secretary"
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert "cursor is not one this API gave out" in result.errors[0]["message"]
