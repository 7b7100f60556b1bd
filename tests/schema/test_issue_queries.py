"""Reading the problem list: every filter, every sort order walked page by page with keyset
cursors, refused cursors, and the statistics computed in SQL over what the caller may see."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import structlog.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import Issue, IssuePriority
from db.types import utcnow
from resolvers.cursors import connection_tag
from resolvers.issues.queries import ORDERS as ISSUE_ORDERS
from resolvers.issues.queries import IssueOrder
from schema.ids import decode_id
from tests.factories import issues as make_issues
from tests.helpers import Api, gid
from tests.issue_helpers import (
    COMMITTEE_A,
    COMMUNITY,
    FIND,
    STREET,
    expected_order,
    found_ids,
    org,
    org_id,
    person_id,
    report,
    sortable_issues,
    sortable_shapes,
)

ORDERS = ["NEWEST", "OLDEST", "DUE_SOONEST", "PRIORITY", "STATUS"]


def _cursor(values: Any, order: str = "NEWEST") -> str:
    """A cursor of the issues list in ORDER holding VALUES (which may not fit its keys)."""
    keys, descending = ISSUE_ORDERS[IssueOrder[order]]
    tagged = [connection_tag(keys, descending), *values] if isinstance(values, list) else values
    raw = json.dumps(tagged, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def _world(api: Api) -> dict[str, Any]:
    """Five issues under one unique token: four in A, one in B, with known facts."""
    token = f"篩選-{uuid.uuid4().hex[:10]}"
    now = utcnow()
    resident, resident_b = await person_id(api, "resident"), await person_id(api, "resident_b")
    committee = await org_id(api, COMMITTEE_A)
    a, b = api.compound("a"), api.compound("b")
    specs: dict[str, dict[str, Any]] = {
        "reported": {
            "compound_id": a,
            "category": "PARKING",
            "channel": "PHOTO_REPORT",
            "status": "REPORTED",
            "created_at": now - timedelta(days=3),
            "due_at": now + timedelta(days=4),
        },
        "late": {
            "compound_id": a,
            "category": "DRAINAGE",
            "channel": "HOTLINE",
            "status": "CLAIMED",
            "assignee_organisation_id": committee,
            "created_at": now - timedelta(days=2),
            "due_at": now - timedelta(hours=1),
        },
        "resolved": {
            "compound_id": a,
            "category": "ELEVATOR",
            "channel": "COMPLAINT",
            "status": "RESOLVED",
            "created_at": now - timedelta(days=1),
            "due_at": now - timedelta(hours=1),
        },
        "closed": {
            "compound_id": a,
            "category": "OTHER",
            "channel": "SUGGESTION",
            "status": "CLOSED",
            "created_at": now - timedelta(hours=1),
            "due_at": now + timedelta(days=1),
            "description": f"{token}-desc 100% 漏水",
        },
        "in_b": {
            "compound_id": b,
            "category": "PARKING",
            "channel": "HOTLINE",
            "status": "REPORTED",
            "reporter_id": resident_b,
            "created_at": now - timedelta(days=2),
            "due_at": now - timedelta(minutes=5),
        },
    }
    ids = await make_issues(
        api.db,
        [
            {"reporter_id": resident, "title": f"{token} {key} MixedCase", **spec}
            for key, spec in specs.items()
        ],
    )
    return {
        "token": token,
        "now": now,
        **{key: gid("Issue", i) for key, i in zip(specs, ids, strict=True)},
    }


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({}, {"reported", "late", "resolved", "closed", "in_b"}),
        ({"compound": "A"}, {"reported", "late", "resolved", "closed"}),
        ({"compound": "B"}, {"in_b"}),
        ({"subtree": "A"}, {"reported", "late", "resolved", "closed"}),
        ({"subtree": COMMUNITY}, {"reported", "late", "resolved", "closed", "in_b"}),
        ({"subtree": STREET, "compound": "B"}, {"in_b"}),
        ({"status": ["REPORTED"]}, {"reported", "in_b"}),
        ({"status": ["CLAIMED", "RESOLVED"]}, {"late", "resolved"}),
        ({"category": ["PARKING"]}, {"reported", "in_b"}),
        ({"category": ["ELEVATOR", "OTHER"]}, {"resolved", "closed"}),
        ({"channel": ["HOTLINE"]}, {"late", "in_b"}),
        ({"assignee": COMMITTEE_A}, {"late"}),
        ({"overdue": True}, {"late", "in_b"}),
        ({"overdue": False}, {"reported", "resolved", "closed"}),
        ({"overdue": True, "compound": "A"}, {"late"}),
        ({"status": ["REPORTED"], "category": ["PARKING"], "compound": "A"}, {"reported"}),
    ],
)
async def test_filters(api: Api, filter: dict[str, Any], expected: set[str]) -> None:
    world = await _world(api)
    resolved_filter = {"search": world["token"]}
    for key, value in filter.items():
        if key in ("compound", "subtree", "assignee") and value in ("A", "B"):
            value = api.ids[f"compound_{value.lower()}"]
        elif key in ("subtree", "assignee"):
            value = await org(api, value)
        resolved_filter[key] = value
    found = await found_ids(api, resolved_filter, "admin")
    assert sorted(found) == sorted(world[k] for k in expected)
    # The supervisor sees the same; the secretary only compound A's part of it.
    assert sorted(await found_ids(api, resolved_filter, "supervisor")) == sorted(found)
    in_a = {world[k] for k in expected if k != "in_b"}
    assert set(await found_ids(api, resolved_filter, "secretary")) == in_a


async def test_created_from_and_to_bound_the_report_time(api: Api) -> None:
    world = await _world(api)
    now = world["now"]

    async def between(start: datetime | None, end: datetime | None) -> set[str]:
        filter: dict[str, Any] = {"search": world["token"]}
        if start:
            filter["createdFrom"] = start.isoformat()
        if end:
            filter["createdTo"] = end.isoformat()
        found = set(await found_ids(api, filter, "admin"))
        return {k for k in ("reported", "late", "resolved", "closed", "in_b") if world[k] in found}

    assert await between(now - timedelta(days=2, hours=1), None) == {
        "late",
        "resolved",
        "closed",
        "in_b",
    }
    assert await between(None, now - timedelta(days=1)) == {"reported", "late", "in_b"}
    assert await between(now - timedelta(days=2), now - timedelta(days=1)) == {"late", "in_b"}
    # createdFrom is inclusive, createdTo exclusive.
    exact = now - timedelta(days=1)
    assert await between(exact, exact + timedelta(microseconds=1)) == {"resolved"}
    assert await between(exact - timedelta(microseconds=1), exact) == set()


async def test_search_in_title_and_description(api: Api) -> None:
    world = await _world(api)
    token = world["token"]

    async def search(text: str) -> set[str]:
        found = set(await found_ids(api, {"search": text}, "admin"))
        return {k for k in ("reported", "late", "resolved", "closed", "in_b") if world[k] in found}

    assert await search(f"{token} late") == {"late"}
    assert await search(f"{token}-desc") == {"closed"}  # only in the description
    assert await search(f"  {token}-desc 100%  ") == {"closed"}  # trimmed
    assert await search(f"{token}-DESC") == {"closed"}  # case does not matter
    assert await search(f"{token} closed mixedcase") == {"closed"}
    # % and _ are literal, not wildcards.
    assert await search(f"{token}-desc 1_0%") == set()
    assert await search(f"{token}%late") == set()
    too_long = await api.run(FIND, {"f": {"search": "長" * 101}}, as_="admin")
    assert too_long.codes == ["BAD_USER_INPUT"]
    assert "at most 100 characters" in too_long.errors[0]["message"]


async def test_an_issue_becomes_overdue_when_its_due_time_passes(api: Api) -> None:
    issue = await report(api)
    assert issue["overdue"] is False
    token = {"search": issue["title"]}
    assert await found_ids(api, {**token, "overdue": True}, "secretary") == []
    assert await found_ids(api, {**token, "overdue": False}, "secretary") == [issue["id"]]
    async with api.db.write() as session:
        await session.execute(
            sa.update(Issue)
            .where(Issue.id == decode_id(issue["id"], "Issue"))
            .values(due_at=utcnow() - timedelta(seconds=1))
        )
    assert await found_ids(api, {**token, "overdue": True}, "secretary") == [issue["id"]]
    assert await found_ids(api, {**token, "overdue": False}, "secretary") == []
    node = await api.run(
        "query ($id: ID!) { node(id: $id) { ... on Issue { overdue } } }",
        {"id": issue["id"]},
        as_="secretary",
    )
    assert node.ok()["node"]["overdue"] is True


# --- sort orders and keyset pagination ---------------------------------------------------------


async def _walk(api: Api, token: str, order: str, size: int, total: int) -> list[int]:
    ids: list[int] = []
    after = None
    pages = 0
    while True:
        result = await api.run(
            FIND,
            {"f": {"search": token}, "first": size, "after": after, "order": order},
            as_="secretary",
        )
        page = result.ok()["issues"]
        assert page["totalCount"] == total
        edges = page["edges"]
        assert len(edges) == min(size, total - len(ids))
        ids += [decode_id(e["node"]["id"], "Issue") for e in edges]
        pages += 1
        assert page["pageInfo"]["hasNextPage"] == (len(ids) < total)
        if edges:
            assert page["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            assert pages == max(1, -(-total // size))
            return ids
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("order", ORDERS)
async def test_each_order_walks_every_issue_once_in_pages_of_three(api: Api, order: str) -> None:
    p = IssuePriority
    shape = [
        (p.LOW, 0, 5),
        (p.URGENT, 10, 1),
        (p.NORMAL, 10, 1),
        (p.URGENT, 10, 3),
        (p.HIGH, 20, 2),
        (p.NORMAL, 0, 5),
        (p.LOW, 30, 0),
        (p.URGENT, 0, 2),
        (p.HIGH, 20, 1),
        (p.NORMAL, 10, 0),
    ]
    token, rows = await sortable_issues(api, shape)
    walked = await _walk(api, token, order, 3, len(rows))
    assert walked == expected_order(order, rows)
    assert len(set(walked)) == len(rows)


shapes = sortable_shapes(max_size=8)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shape=shapes, order=st.sampled_from(ORDERS), size=st.integers(1, 4))
async def test_keyset_pages_agree_with_a_full_sort(
    api: Api, shape: list[tuple[IssuePriority, int, int]], order: str, size: int
) -> None:
    token, rows = await sortable_issues(api, shape)
    walked = await _walk(api, token, order, size, len(rows))
    assert walked == expected_order(order, rows)


@pytest.mark.parametrize(
    ("order", "cursor"),
    [
        ("NEWEST", "not a cursor!"),
        ("NEWEST", _cursor({"created_at": 1})),
        ("NEWEST", _cursor(["2025-01-01T00:00:00+00:00"])),  # one value, two keys
        ("PRIORITY", _cursor(["2025-01-01T00:00:00+00:00", 1], "PRIORITY")),  # NEWEST values
        ("NEWEST", _cursor(["yesterday", 1])),
        ("NEWEST", _cursor([20250101, 1])),
        ("OLDEST", _cursor([True, 1], "OLDEST")),
        ("DUE_SOONEST", _cursor(["2025-01-01T00:00:00+00:00", None], "DUE_SOONEST")),
    ],
)
async def test_an_invalid_cursor_is_bad_user_input(api: Api, order: str, cursor: str) -> None:
    result = await api.run(FIND, {"first": 3, "after": cursor, "order": order}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "cursor is not one this API gave out" in result.errors[0]["message"]


@pytest.mark.parametrize(
    ("order", "values"),
    [
        ("NEWEST", ["2025-01-01T00:00:00", 1]),
        ("NEWEST", ["2025-01-01T00:00:00+00:00", "abc"]),
        ("NEWEST", ["2025-01-01T00:00:00+00:00", 10**30]),
        ("PRIORITY", ["high", "2025-01-01T00:00:00+00:00", 1]),
        ("PRIORITY", [4, 1, 1]),
        ("OLDEST", ["0001-01-01T00:00:00+08:00", 1]),  # before UTC can hold it
        ("OLDEST", ["9999-12-31T23:00:00-14:00", 1]),  # after UTC can hold it
    ],
)
async def test_a_cursor_value_that_does_not_fit_its_key_is_bad_user_input(
    api: Api, order: str, values: list[Any]
) -> None:
    """Cursors are opaque: a value that cannot belong to its key column is the caller's mistake,
    never a database error (and never silently compared as text on SQLite)."""
    result = await api.run(
        FIND, {"first": 3, "after": _cursor(values, order), "order": order}, as_="secretary"
    )
    assert result.codes == ["BAD_USER_INPUT"], result.errors
    assert "cursor is not one this API gave out" in result.errors[0]["message"]


@pytest.mark.parametrize("order", ORDERS)
async def test_a_well_formed_cursor_past_every_issue_gives_an_empty_page(
    api: Api, order: str
) -> None:
    far = {
        "NEWEST": ["1970-01-01T00:00:00+00:00", 0],
        "OLDEST": ["9999-12-31T00:00:00+00:00", 2**31 - 1],
        "DUE_SOONEST": ["9999-12-31T00:00:00+08:00", 2**31 - 1],
        "PRIORITY": [0, "1970-01-01T00:00:00+00:00", 0],
        "STATUS": [2**31 - 1, "9999-12-31T00:00:00+00:00", 2**31 - 1],
    }[order]
    result = await api.run(
        FIND, {"first": 3, "after": _cursor(far, order), "order": order}, as_="admin"
    )
    page = result.ok()["issues"]
    assert page["edges"] == []
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize("value", [2**31, 2**40, 2**63 - 1])
async def test_a_cursor_id_beyond_the_id_column_is_not_an_internal_error(
    api: Api, value: int
) -> None:
    cursor = _cursor(["2025-01-01T00:00:00+00:00", value], "OLDEST")
    with structlog.testing.capture_logs():  # an INTERNAL error's traceback: not rendered here
        result = await api.run(FIND, {"first": 3, "after": cursor, "order": "OLDEST"}, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"], result.errors


async def test_a_page_larger_than_100_is_refused(api: Api) -> None:
    result = await api.run(FIND, {"first": 101}, as_="secretary")
    assert result.codes == ["BAD_USER_INPUT"]


async def test_organisation_issues_lists_the_subtree_by_status(api: Api) -> None:
    world = await _world(api)
    query = """
    query ($id: ID!, $s: [IssueStatus!]) { organisation(id: $id) {
      issues(status: $s, first: 100) { edges { node { id } } } } }
    """
    community = await org(api, COMMUNITY)
    result = await api.run(query, {"id": community, "s": ["REPORTED"]}, as_="admin")
    ids = {e["node"]["id"] for e in result.ok()["organisation"]["issues"]["edges"]}
    assert {world["reported"], world["in_b"]} <= ids
    assert not {world["late"], world["resolved"], world["closed"]} & ids


# --- statistics -------------------------------------------------------------------------------

STATS = """
query ($s: ID!, $from: DateTime, $to: DateTime) { issueStatistics(scope: $s, createdFrom: $from, createdTo: $to) {
  total overdueCount medianTimeToClaimSeconds medianTimeToResolveSeconds
  satisfactionAverage satisfactionCount
  byStatus { status count } byCategory { category count } } }
"""
EMPTY = {
    "total": 0,
    "overdueCount": 0,
    "medianTimeToClaimSeconds": None,
    "medianTimeToResolveSeconds": None,
    "satisfactionAverage": None,
    "satisfactionCount": 0,
    "byStatus": [],
    "byCategory": [],
}


async def _new_compound(api: Api) -> tuple[str, int]:
    """A compound of its own under the demo community: no demo issue lives there."""
    result = await api.run(
        "mutation ($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }",
        {
            "i": {
                "name": f"統計小區-{uuid.uuid4().hex[:6]}",
                "kind": "COMPOUND",
                "parent": await org(api, COMMUNITY),
            }
        },
        as_="admin",
    )
    compound = result.ok()["createOrganisation"]["id"]
    return compound, decode_id(compound, "Organisation")


async def _stats(api: Api, scope: str, as_: str = "admin", **period: str) -> dict[str, Any]:
    result = await api.run(STATS, {"s": scope, **period}, as_=as_)
    stats: dict[str, Any] = result.ok()["issueStatistics"]
    return stats


async def test_stats_count_medians_and_satisfaction(api: Api) -> None:
    scope, compound = await _new_compound(api)
    assert await _stats(api, scope) == EMPTY
    now = utcnow()
    reporter = await person_id(api, "admin")
    base = {"compound_id": compound, "reporter_id": reporter, "title": "統計"}
    await make_issues(
        api.db,
        [
            {
                **base,
                "status": "REPORTED",
                "category": "PARKING",
                "due_at": now - timedelta(hours=1),
            },
            {
                **base,
                "status": "CLAIMED",
                "category": "PARKING",
                "claim_seconds": 300,
                "due_at": now - timedelta(minutes=1),
            },
            {
                **base,
                "status": "ESCALATED",
                "category": "DRAINAGE",
                "claim_seconds": 100,
                "due_at": now - timedelta(minutes=1),
            },
            {
                **base,
                "status": "RESOLVED",
                "category": "DRAINAGE",
                "claim_seconds": 200,
                "resolve_seconds": 7000,
                "due_at": now - timedelta(hours=1),
            },  # awaiting confirmation: not overdue
            {
                **base,
                "status": "CLOSED",
                "category": "ELEVATOR",
                "resolve_seconds": 3000,
                "satisfaction": 5,
                "due_at": now - timedelta(hours=1),
            },
            {**base, "status": "CLOSED", "category": "ELEVATOR", "satisfaction": 4},
            {**base, "status": "CLOSED", "category": "ELEVATOR", "satisfaction": 4},
            {**base, "status": "REJECTED", "category": "OTHER", "due_at": now - timedelta(hours=1)},
        ],
    )
    stats = await _stats(api, scope)
    assert stats["total"] == 8
    assert stats["byStatus"] == [  # in the enum's alphabetical order
        {"status": "CLAIMED", "count": 1},
        {"status": "CLOSED", "count": 3},
        {"status": "ESCALATED", "count": 1},
        {"status": "REJECTED", "count": 1},
        {"status": "REPORTED", "count": 1},
        {"status": "RESOLVED", "count": 1},
    ]
    assert {c["category"]: c["count"] for c in stats["byCategory"]} == {
        "PARKING": 2,
        "DRAINAGE": 2,
        "ELEVATOR": 3,
        "OTHER": 1,
    }
    assert (
        stats["overdueCount"] == 3
    )  # REPORTED, CLAIMED, ESCALATED past due; not RESOLVED, REJECTED
    assert stats["medianTimeToClaimSeconds"] == 200  # of 100, 200, 300
    assert stats["medianTimeToResolveSeconds"] == 5000  # of 3000, 7000
    assert stats["satisfactionAverage"] == pytest.approx(4.33)
    assert stats["satisfactionCount"] == 3

    # One more claim makes the count even: the mean of the middle two; a third resolution, odd.
    await make_issues(
        api.db, [{**base, "status": "IN_PROGRESS", "claim_seconds": 1000, "resolve_seconds": 1000}]
    )
    stats = await _stats(api, scope)
    assert stats["medianTimeToClaimSeconds"] == 250  # of 100, 200, 300, 1000
    assert stats["medianTimeToResolveSeconds"] == 3000  # of 1000, 3000, 7000
    assert stats["total"] == 9

    # The supervisor of the street sees the same figures.
    assert await _stats(api, scope, as_="supervisor") == stats


async def test_stats_for_a_period(api: Api) -> None:
    scope, compound = await _new_compound(api)
    reporter = await person_id(api, "admin")
    day = datetime(2025, 3, 1, tzinfo=UTC)
    await make_issues(
        api.db,
        [
            {
                "compound_id": compound,
                "reporter_id": reporter,
                "title": "舊",
                "created_at": day - timedelta(days=1),
                "claim_seconds": 10,
            },
            {
                "compound_id": compound,
                "reporter_id": reporter,
                "title": "當天",
                "created_at": day,
                "claim_seconds": 20,
            },
            {
                "compound_id": compound,
                "reporter_id": reporter,
                "title": "當天",
                "created_at": day + timedelta(hours=23),
                "claim_seconds": 40,
            },
            {
                "compound_id": compound,
                "reporter_id": reporter,
                "title": "新",
                "created_at": day + timedelta(days=1),
                "claim_seconds": 80,
            },
        ],
    )
    stats = await _stats(
        api, scope, **{"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat()}
    )
    assert stats["total"] == 2
    assert stats["medianTimeToClaimSeconds"] == 30
    assert (await _stats(api, scope, **{"from": day.isoformat()}))["total"] == 3
    assert (await _stats(api, scope, **{"to": day.isoformat()}))["total"] == 1


async def test_stats_cover_only_what_the_caller_may_see(api: Api) -> None:
    scope, compound = await _new_compound(api)
    await make_issues(
        api.db,
        [
            {
                "compound_id": compound,
                "reporter_id": await person_id(api, "admin"),
                "title": "看不到",
                "claim_seconds": 5,
                "satisfaction": 3,
                "status": "CLOSED",
            }
        ],
    )
    assert (await _stats(api, scope, as_="admin"))["total"] == 1
    for who in ("secretary", "committee_member", "resident", "property_firm", "resident_b"):
        assert await _stats(api, scope, as_=who) == EMPTY, who
    assert await _stats(api, api.ids["compound_a"], as_="resident_b") == EMPTY
    assert await _stats(api, api.ids["compound_b"], as_="secretary") == EMPTY

    # An issue of A counts for those who see A, and not for resident_b looking at the community.
    community = await org(api, COMMUNITY)
    before = {
        who: await _stats(api, community, as_=who) for who in ("secretary", "resident_b", "admin")
    }
    await report(api)
    after = {
        who: await _stats(api, community, as_=who) for who in ("secretary", "resident_b", "admin")
    }
    assert after["resident_b"] == before["resident_b"]
    assert after["secretary"]["total"] == before["secretary"]["total"] + 1
    assert after["admin"]["total"] == before["admin"]["total"] + 1


async def test_stats_scope_must_be_an_organisation_id(api: Api) -> None:
    result = await api.run(STATS, {"s": gid("Person", 1)}, as_="admin")
    assert result.codes == ["BAD_USER_INPUT"]
