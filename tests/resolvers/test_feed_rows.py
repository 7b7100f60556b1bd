"""The live feeds (issueEvents, myNotifications) read their outbox events as column rows, not
ORM entities (db/entity_rows.py), and deliver what the events say."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from db.models import OutboxEvent
from resolvers import issue_feed, notification_feed
from schema.ids import decode_id
from tests.helpers import Api
from tests.issue_helpers import claim, report


@pytest.fixture
async def head(api: Api) -> int:
    return int(await api.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboxEvent.id), 0))))


async def test_the_issue_feed_reads_events_as_columns(
    api: Api, head: int, whole_model_reads: list[str]
) -> None:
    issue = await report(api)
    async with api.live("secretary") as live:
        batch = await issue_feed._read(live, issue_feed.FeedFilter(), head)
    (delivery,) = batch.items
    assert delivery.event.kind == "issue.reported"
    assert delivery.issue.id == decode_id(issue["id"], "Issue")
    assert whole_model_reads == []


async def test_the_notification_feed_reads_events_as_columns(
    api: Api, head: int, whole_model_reads: list[str]
) -> None:
    issue = await report(api)
    await claim(api, issue["id"])
    async with api.live("resident") as live:
        batch = await notification_feed._read(live, head)
    (notice,) = batch.items
    assert notice.reason is notification_feed.Reason.REPORTER
    assert notice.issue is not None and notice.issue.id == decode_id(issue["id"], "Issue")
    assert whole_model_reads == []
