"""Kept page statements: every page of a list reuses one built query with its cursor
bound anew, and never serves what another scope, filter or moment would not."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.models import Issue, IssueStatus
from resolvers.cursors import encode_cursor
from resolvers.issues.queries import IssueFilter, IssueOrder, issue_page_query
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import report

ISSUE_IDS = """
query ($first: Int, $after: String, $filter: IssueFilter) {
  issues(first: $first, after: $after, filter: $filter) {
    edges { node { id title } }
    pageInfo { endCursor hasNextPage }
  }
}
"""


async def _pages(api: Api, as_: str, size: int, filter: Any = None) -> list[list[str]]:
    pages: list[list[str]] = []
    after = None
    while True:
        variables = {"first": size, "after": after, "filter": filter}
        data = (await api.run(ISSUE_IDS, variables, as_=as_)).ok()["issues"]
        pages.append([edge["node"]["id"] for edge in data["edges"]])
        if not data["pageInfo"]["hasNextPage"]:
            return pages
        after = data["pageInfo"]["endCursor"]


async def test_paging_with_kept_statements_reads_each_row_once_in_order(api: Api) -> None:
    whole = (await _pages(api, "secretary", 100))[0]
    assert len(whole) > 4
    # Twice: the second walk runs entirely on kept statements.
    for _ in range(2):
        pages = await _pages(api, "secretary", 2)
        assert [issue for page in pages for issue in page] == whole


async def test_the_next_page_reuses_the_statements_with_the_cursor_bound_anew(api: Api) -> None:
    ctx = await api.context("secretary")
    try:
        top = await issue_page_query(ctx, IssueFilter(), IssueOrder.NEWEST, 2, None)
        rows = list((await ctx.read(top.page, top.parameters)).scalars())
        assert (await issue_page_query(ctx, IssueFilter(), IssueOrder.NEWEST, 2, None)).page is (
            top.page
        )
        after_second = encode_cursor(top.tag, (rows[1].created_at, rows[1].id))
        after_first = encode_cursor(top.tag, (rows[0].created_at, rows[0].id))
        second = await issue_page_query(ctx, IssueFilter(), IssueOrder.NEWEST, 2, after_second)
        shifted = await issue_page_query(ctx, IssueFilter(), IssueOrder.NEWEST, 2, after_first)
        assert shifted.page is second.page
        read = list((await ctx.read(shifted.page, shifted.parameters)).scalars())
        assert [issue.id for issue in read[:2]] == [rows[1].id, rows[2].id]
    finally:
        await ctx.close()


async def test_another_filter_or_another_scope_gets_statements_of_its_own(api: Api) -> None:
    secretary = await api.context("secretary")
    resident = await api.context("resident")
    try:
        mine = await issue_page_query(secretary, IssueFilter(), IssueOrder.NEWEST, 5, None)
        theirs = await issue_page_query(resident, IssueFilter(), IssueOrder.NEWEST, 5, None)
        narrower = await issue_page_query(
            secretary, IssueFilter(statuses=[IssueStatus.REPORTED]), IssueOrder.NEWEST, 5, None
        )
        assert theirs.page is not mine.page
        assert narrower.page is not mine.page
    finally:
        await secretary.close()
        await resident.close()


async def test_a_kept_overdue_filter_reads_the_clock_when_it_runs(
    api: Api, frozen_clock: clock.FrozenClock
) -> None:
    # Noon in China today: the minute the clock moves below stays on the same day, so
    # the same kept statement serves both reads.
    frozen_clock.set(datetime.combine(clock.today(), time(4, 0), UTC))
    issue = await report(api)
    async with api.db.write() as session:
        await session.execute(
            sa.update(Issue)
            .where(col(Issue.id) == decode_id(issue["id"], "Issue"))
            .values(due_at=frozen_clock.now() + timedelta(minutes=1))
        )
    only_it = {"search": issue["title"], "overdue": True}
    assert await _pages(api, "secretary", 10, only_it) == [[]]
    frozen_clock.advance(timedelta(minutes=2))
    assert await _pages(api, "secretary", 10, only_it) == [[issue["id"]]]
