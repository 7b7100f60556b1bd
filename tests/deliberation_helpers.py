"""Helpers for the compound meeting tests (小區黨支部先議): scheduling, attendance and holding
through the API, a branch resolution a committee matter can rest on, and the tables a
refusal must leave alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import SQLModel

from db.models import CompoundMeeting, CompoundMeetingAttendance, CompoundMeetingItem
from db.types import CHINA_TIME, utcnow
from tests.disclosure_helpers import branch, committee
from tests.helpers import Api
from tests.issue_helpers import ok, person

MEETING_TABLES: tuple[type[SQLModel], ...] = (
    CompoundMeeting,
    CompoundMeetingItem,
    CompoundMeetingAttendance,
)
ITEM = """id matter outcome resolution votesFor votesAgainst votesAbstain resolvedAt
issue { id } branchItem { id }"""
MEETING = f"""id kind title scheduledFor location status minutes heldAt cancelReason version
compound {{ id }} body {{ id }} convenedBy {{ id }}
agenda {{ {ITEM} }}
attendance {{ status role person {{ id }} }}"""
# The committee's secretary and the branch's secretary of each compound (demo tokens).
SECRETARY = {"a": "secretary", "b": "secretary_b"}
COMMITTEE_MEMBER = {"a": "committee_member", "b": "committee_member_b"}


def when(days: int) -> str:
    """A meeting time DAYS from now, in China time (negative: it has met)."""
    return (utcnow() + timedelta(days=days)).astimezone(CHINA_TIME).isoformat()


async def schedule(
    api: Api,
    body: str = "branch",
    compound: str = "a",
    *,
    as_: str | None = None,
    days: int = -1,
    agenda: list[dict[str, Any]] | None = None,
    title: str = "支部委員會議",
) -> dict[str, Any]:
    body_id = await (branch if body == "branch" else committee)(api, compound)
    return await ok(
        api,
        "scheduleCompoundMeeting",
        {
            "body": body_id,
            "title": title,
            "scheduledFor": when(days),
            "location": "近鄰紅色驛站",
            "agenda": agenda if agenda is not None else [{"matter": "增設電動車充電樁"}],
        },
        as_=as_ or (SECRETARY[compound] if body == "branch" else COMMITTEE_MEMBER[compound]),
        selection=MEETING,
    )


async def attend(
    api: Api, meeting: dict[str, Any], who: list[tuple[str, str]], *, as_: str
) -> dict[str, Any]:
    """Record attendance of the demo token people WHO ((role, status) pairs)."""
    attendees = [{"person": await person(api, role), "status": status} for role, status in who]
    return await ok(
        api,
        "recordCompoundMeetingAttendance",
        {"meeting": meeting["id"], "attendees": attendees},
        as_=as_,
        selection=MEETING,
    )


def resolutions(
    meeting: dict[str, Any], outcome: str = "ADOPTED", votes: tuple[int, int, int] | None = None
) -> list[dict[str, Any]]:
    found = []
    for item in meeting["agenda"]:
        given: dict[str, Any] = {"item": item["id"], "outcome": outcome, "resolution": "同意"}
        if votes is not None:
            given |= dict(zip(("votesFor", "votesAgainst", "votesAbstain"), votes, strict=True))
        found.append(given)
    return found


async def hold(
    api: Api,
    meeting: dict[str, Any],
    *,
    as_: str,
    outcome: str = "ADOPTED",
    votes: tuple[int, int, int] | None = None,
) -> dict[str, Any]:
    return await ok(
        api,
        "holdCompoundMeeting",
        {
            "id": meeting["id"],
            "minutes": "會議紀要：與會人員充分討論。",
            "resolutions": resolutions(meeting, outcome, votes),
        },
        as_=as_,
        selection=MEETING,
    )


async def branch_resolved(
    api: Api, compound: str = "a", *, outcome: str = "ADOPTED", **entry: Any
) -> dict[str, Any]:
    """An item the compound's branch resolved at a held meeting (ENTRY: its agenda entry)."""
    meeting = await schedule(
        api, "branch", compound, agenda=[entry or {"matter": "增設電動車充電樁"}]
    )
    held = await hold(api, meeting, as_=SECRETARY[compound], outcome=outcome)
    item: dict[str, Any] = held["agenda"][0]
    return item


async def committee_ready(api: Api, compound: str = "a") -> dict[str, Any]:
    """A committee meeting that has met, on a matter the branch resolved, with the branch
    secretary recorded sitting in: ready to hold."""
    item = await branch_resolved(api, compound)
    meeting = await schedule(
        api, "committee", compound, agenda=[{"branchItem": item["id"]}], title="業委會會議"
    )
    return await attend(
        api,
        meeting,
        [(SECRETARY[compound], "SITTING_IN"), (COMMITTEE_MEMBER[compound], "PRESENT")],
        as_=COMMITTEE_MEMBER[compound],
    )
