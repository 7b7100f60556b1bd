"""Cases of the every-mutation walk (and so of the isolation matrix's mutation half) for
compound meetings (小區黨支部先議), all in compound A."""

from __future__ import annotations

from typing import Any

from db.models import CompoundMeeting
from tests.deliberation_helpers import (
    MEETING_TABLES,
    branch_resolved,
    committee_ready,
    resolutions,
    schedule,
    when,
)
from tests.disclosure_helpers import committee
from tests.helpers import Api
from tests.issue_helpers import person
from tests.mutation_cases import Case


async def _schedule(api: Api) -> dict[str, Any]:
    # A committee matter the branch resolved first.
    item = await branch_resolved(api)
    return {
        "body": await committee(api),
        "title": "業委會會議",
        "scheduledFor": when(3),
        "agenda": [{"branchItem": item["id"]}],
    }


async def _add(api: Api) -> dict[str, Any]:
    meeting = await schedule(api, days=3)
    return {"meeting": meeting["id"], "item": {"matter": "樓道堆物清理"}}


async def _remove(api: Api) -> dict[str, Any]:
    meeting = await schedule(api, days=3)
    return {"meeting": meeting["id"], "item": meeting["agenda"][0]["id"]}


async def _attendance(api: Api) -> dict[str, Any]:
    meeting = await schedule(
        api, "committee", agenda=[{"branchItem": (await branch_resolved(api))["id"]}]
    )
    return {
        "meeting": meeting["id"],
        "attendees": [{"person": await person(api, "secretary"), "status": "SITTING_IN"}],
    }


async def _hold(api: Api) -> dict[str, Any]:
    meeting = await committee_ready(api)
    return {
        "id": meeting["id"],
        "minutes": "會議紀要：同意增設充電樁。",
        "resolutions": resolutions(meeting, votes=(4, 0, 1)),
    }


async def _cancel(api: Api) -> dict[str, Any]:
    return {"id": (await schedule(api, days=3))["id"], "reason": "議題已在支部會上解決"}


DELIBERATION_CASES: dict[str, Case] = {
    # committee_member (a3) sits on the owners' committee; the branch secretary does not.
    "scheduleCompoundMeeting": Case(
        "committee_member", "secretary", _schedule, CompoundMeeting, MEETING_TABLES
    ),
    "addCompoundMeetingItem": Case("secretary", "resident", _add, CompoundMeeting, MEETING_TABLES),
    "removeCompoundMeetingItem": Case(
        "secretary", "supervisor", _remove, CompoundMeeting, MEETING_TABLES
    ),
    "recordCompoundMeetingAttendance": Case(
        "committee_member", "secretary", _attendance, CompoundMeeting, MEETING_TABLES
    ),
    "holdCompoundMeeting": Case(
        "committee_member", "secretary", _hold, CompoundMeeting, MEETING_TABLES
    ),
    "cancelCompoundMeeting": Case(
        "secretary", "resident", _cancel, CompoundMeeting, MEETING_TABLES
    ),
}
