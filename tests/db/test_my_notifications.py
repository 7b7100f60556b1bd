"""myNotifications over WebSocket against a real app process: a reporter hears of what others
do to their issue (not of their own report), the assigned person of their assignment, the
people sitting in a joint meeting of its schedule, a token's owner of its coming expiry,
a webhook's registrant of its disabling, the people a mobilisation calls on of it, a
compound's residents of a notice published to it and whoever asked of the answer;
nobody else hears of any of it, and a resident of compound B never of compound A."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col

from db.models import (
    DisabledReason,
    WebhookDelivery,
    WebhookEndpoint,
)
from resolvers.tokens.expiring import announce_expiring_tokens
from resolvers.webhooks.disabling import disable
from schema.ids import decode_id
from tests.app.processes import serving
from tests.db.test_live_subscriptions import Live, _head, _report, live
from tests.deliberation_helpers import hold, schedule
from tests.disclosure_helpers import QUESTION, ask, publish
from tests.helpers import Api
from tests.issue_helpers import COMMITTEE_A, claim, ok, org, person
from tests.lovebank_helpers import resident_id, token_for
from tests.mobilisation_helpers import send
from tests.webhook_helpers import registered_for_new_token

NOTIFICATIONS = """
subscription ($after: ID) {
  myNotifications(after: $after) {
    id kind reason fromStatus toStatus issue { id status } meeting { id title } token { id }
    webhook { id status disabledReason } mobilisation { id title }
  }
}"""


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    """One app process for the module: each test reads the outbox from its own head on."""
    with serving(database_url, live_poll_seconds="0.1") as host:
        yield host


async def _subscribe(socket: Live, after: str) -> None:
    """From AFTER (the outbox head before the test acts), so a feed that starts late misses
    nothing."""
    assert (await socket.next())["type"] == "connection_ack"
    payload = {"query": NOTIFICATIONS, "variables": {"after": after}}
    await socket.socket.send(json.dumps({"id": "n", "type": "subscribe", "payload": payload}))


async def _notice(socket: Live) -> dict[str, Any]:
    message = await socket.next()
    assert message["type"] == "next" and message["payload"].get("data"), message
    notice: dict[str, Any] = message["payload"]["data"]["myNotifications"]
    return notice


async def test_the_reporter_and_the_assignee_hear_what_others_do_to_their_issue(
    committed: Api, server: str
) -> None:
    api = committed
    neighbour = await token_for(api, await resident_id(api, "a", 21))
    after = await _head(api)
    async with (
        live(server, api.tokens["resident"]) as reporter,
        live(server, api.tokens["committee_member"]) as assignee,
        live(server, neighbour) as next_door,
        live(server, api.tokens["resident_b"]) as other,
    ):
        for socket in (reporter, assignee, next_door, other):
            await _subscribe(socket, after)
        issue = await _report(server, api.tokens["resident"], api.ids["compound_a"], "樓道燈 n")
        assert await reporter.quiet(0.5) == []  # not of their own report
        await claim(api, issue, body=COMMITTEE_A)
        claimed = await _notice(reporter)
        assert (claimed["kind"], claimed["reason"], claimed["toStatus"]) == (
            "ISSUE_CLAIMED",
            "REPORTER",
            "CLAIMED",
        )
        assert claimed["issue"]["id"] == issue and claimed["meeting"] is None
        assignment = {
            "id": issue,
            "organisation": await org(api, COMMITTEE_A),
            "person": await person(api, "committee_member"),
        }
        await ok(api, "assignIssue", assignment, as_="secretary")
        assert (await _notice(reporter))["kind"] == "ISSUE_ASSIGNED"
        assigned = await _notice(assignee)
        assert (assigned["kind"], assigned["reason"]) == ("ISSUE_ASSIGNED", "ASSIGNEE")
        assert assigned["issue"]["id"] == issue
        # Nobody else hears of it: a neighbour in the same compound, a resident of B.
        assert await next_door.quiet(0.5) == []
        assert await other.quiet(0.1) == []


async def test_the_owner_hears_that_a_token_is_about_to_expire(committed: Api, server: str) -> None:
    api = committed
    owner = await token_for(api, await resident_id(api, "a", 22))  # lives a day
    after = await _head(api)
    async with live(server, owner) as mine, live(server, api.tokens["resident_b"]) as other:
        for socket in (mine, other):
            await _subscribe(socket, after)
        assert await announce_expiring_tokens(api.db, within=timedelta(days=2)) >= 1
        notice = await _notice(mine)
        assert (notice["kind"], notice["reason"]) == ("TOKEN_EXPIRING", "TOKEN_OWNER")
        assert notice["token"] is not None and notice["issue"] is None
        assert all(
            n["payload"]["data"]["myNotifications"]["token"]["id"] != notice["token"]["id"]
            for n in await other.quiet(0.5)
        )


async def test_people_sitting_in_a_meeting_hear_it_is_scheduled_and_only_they(
    committed: Api, server: str
) -> None:
    api = committed
    after = await _head(api)
    async with (
        live(server, api.tokens["committee_member"]) as sitting,
        live(server, api.tokens["resident"]) as resident,
        live(server, api.tokens["committee_member_b"]) as other,
    ):
        for socket in (sitting, resident, other):
            await _subscribe(socket, after)
        meeting = await ok(
            api,
            "scheduleJointMeeting",
            {
                "organisation": api.ids["compound_a"],
                "title": "通知聯席會議",
                "scheduledFor": "2099-01-10T10:00:00+08:00",
                "participants": [await org(api, COMMITTEE_A)],
            },
            as_="secretary",
            selection="id",
        )
        # The meeting stays (as the demo's do): deleting it would let SQLite give its id
        # to the next meeting, whose audit trail would then show this one's entry.
        notice = await _notice(sitting)
        assert (notice["kind"], notice["reason"]) == ("MEETING_SCHEDULED", "PARTICIPANT")
        assert notice["meeting"] == {"id": meeting["id"], "title": "通知聯席會議"}
        assert await resident.quiet(0.5) == []  # lives there, sits in nothing
        assert await other.quiet(0.1) == []  # compound B's committee


async def test_whoever_registered_a_webhook_hears_the_dispatcher_disabled_it(
    committed: Api, server: str
) -> None:
    api = committed
    _, registered = await registered_for_new_token(api)
    endpoint_id = decode_id(registered["endpoint"]["id"], "WebhookEndpoint")
    after = await _head(api)
    try:
        async with (
            live(server, api.tokens["secretary"]) as registrant,
            live(server, api.tokens["resident"]) as resident,
            live(server, api.tokens["secretary_b"]) as other,
        ):
            for socket in (registrant, resident, other):
                await _subscribe(socket, after)
            assert await disable(api.db, endpoint_id, DisabledReason.FAILING)
            notice = await _notice(registrant)
            assert (notice["kind"], notice["reason"]) == ("WEBHOOK_DISABLED", "WEBHOOK_OWNER")
            assert notice["webhook"] == {
                "id": registered["endpoint"]["id"],
                "status": "DISABLED",
                "disabledReason": "FAILING",
            }
            assert await resident.quiet(0.5) == []
            assert await other.quiet(0.1) == []
    finally:
        async with api.db.write() as session:
            await session.execute(
                sa.delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == endpoint_id)
            )
            await session.execute(
                sa.delete(WebhookEndpoint).where(col(WebhookEndpoint.id) == endpoint_id)
            )


MEETING_NOTICES = """
subscription ($after: ID) {
  myNotifications(after: $after) {
    kind reason fromStatus toStatus compoundMeeting { id status kind }
  }
}"""


async def test_a_branch_meetings_attendees_hear_it_is_scheduled_and_held(
    committed: Api, server: str
) -> None:
    api = committed
    after = await _head(api)
    async with (
        live(server, api.tokens["committee_member"]) as member,
        live(server, api.tokens["resident"]) as resident,
        live(server, api.tokens["committee_member_b"]) as other,
    ):
        for socket in (member, resident, other):
            assert (await socket.next())["type"] == "connection_ack"
            payload = {"query": MEETING_NOTICES, "variables": {"after": after}}
            message = {"id": "n", "type": "subscribe", "payload": payload}
            await socket.socket.send(json.dumps(message))
        # The meeting stays, as the joint meeting above does.
        meeting = await schedule(api, agenda=[{"matter": "通知：支部先議"}])
        notice = await _notice(member)  # a3 sits on the branch committee
        assert (notice["kind"], notice["reason"]) == ("COMPOUND_MEETING_SCHEDULED", "ATTENDEE")
        assert notice["compoundMeeting"] == {
            "id": meeting["id"],
            "status": "SCHEDULED",
            "kind": "BRANCH",
        }
        await hold(api, meeting, as_="secretary")
        notice = await _notice(member)
        assert (notice["kind"], notice["fromStatus"], notice["toStatus"]) == (
            "COMPOUND_MEETING_HELD",
            None,
            None,
        )
        assert notice["compoundMeeting"]["status"] == "HELD"
        assert await resident.quiet(0.5) == []  # reads the held meeting, but attends none
        assert await other.quiet(0.1) == []  # compound B's branch member


async def test_the_people_a_mobilisation_calls_on_hear_of_it_and_only_they(
    committed: Api, server: str
) -> None:
    api = committed
    after = await _head(api)
    async with (
        live(server, api.tokens["committee_member"]) as called,
        live(server, api.tokens["secretary"]) as sender,
        live(server, api.tokens["resident"]) as resident,
        live(server, api.tokens["committee_member_b"]) as other,
    ):
        for socket in (called, sender, resident, other):
            await _subscribe(socket, after)
        # The call stays (as the demo's do), like the meeting above.
        call = await send(api, title="通知動員")
        notice = await _notice(called)
        assert (notice["kind"], notice["reason"]) == ("MOBILISATION_SENT", "RECIPIENT")
        assert notice["mobilisation"] == {"id": call["id"], "title": "通知動員"}
        assert await sender.quiet(0.5) == []  # their own change
        assert await resident.quiet(0.1) == []  # a1 is not called on
        assert await other.quiet(0.1) == []  # compound B


NOTICE_NOTICES = """
subscription ($after: ID) {
  myNotifications(after: $after) {
    kind reason notice { id title } noticeQuestion { id answer }
  }
}"""


async def _subscribe_to_notices(socket: Live, after: str) -> None:
    assert (await socket.next())["type"] == "connection_ack"
    payload = {"query": NOTICE_NOTICES, "variables": {"after": after}}
    await socket.socket.send(json.dumps({"id": "n", "type": "subscribe", "payload": payload}))


async def test_residents_hear_of_a_notice_and_the_asker_of_its_answer(
    committed: Api, server: str
) -> None:
    api = committed
    after = await _head(api)
    neighbour = await token_for(api, await resident_id(api, "a", 2))
    async with (
        live(server, api.tokens["resident"]) as resident,
        live(server, neighbour) as other_resident,
        live(server, api.tokens["secretary"]) as publisher,
        live(server, api.tokens["resident_b"]) as elsewhere,
    ):
        for socket in (resident, other_resident, publisher, elsewhere):
            await _subscribe_to_notices(socket, after)
        # The notice stays (as the demo's do).
        notice = await publish(api, title="停水通知：周三上午")
        heard = await _notice(resident)
        assert (heard["kind"], heard["reason"]) == ("NOTICE_PUBLISHED", "RESIDENT")
        assert heard["notice"] == {"id": notice["id"], "title": "停水通知：周三上午"}
        assert (await _notice(other_resident))["notice"]["id"] == notice["id"]
        assert await publisher.quiet(0.5) == []  # their own change
        assert await elsewhere.quiet(0.1) == []  # compound B's resident
        asked = await ask(api, notice["id"])
        await ok(
            api,
            "answerNoticeQuestion",
            {"question": asked["id"], "answer": "上午九點至十二點。"},
            as_="secretary",
            selection=QUESTION,
        )
        answered = await _notice(resident)
        assert (answered["kind"], answered["reason"]) == ("NOTICE_QUESTION_ANSWERED", "ASKER")
        assert answered["noticeQuestion"] == {"id": asked["id"], "answer": "上午九點至十二點。"}
        assert await other_resident.quiet(0.5) == []  # the answer is public, not addressed
        assert await elsewhere.quiet(0.1) == []
