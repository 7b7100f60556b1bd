"""Cases of the every-mutation walk for changing a scheduled joint meeting."""

from __future__ import annotations

from typing import Any

from db.models import Issue, IssueEvent, JointMeeting, JointMeetingItem, JointMeetingParticipant
from tests.helpers import Api
from tests.issue_helpers import COMMITTEE_A, issue_in, org
from tests.mutation_cases import Case

SCHEDULE = "mutation ($i: ScheduleJointMeetingInput!) { scheduleJointMeeting(input: $i) { id } }"


async def _scheduled(api: Api, agenda: list[str]) -> str:
    result = await api.run(
        SCHEDULE,
        {
            "i": {
                "organisation": api.ids["compound_a"],
                "title": "聯席會議",
                "scheduledFor": "2099-01-10T10:00:00+08:00",
                "participants": [await org(api, COMMITTEE_A)],
                "agenda": agenda,
            }
        },
        as_="secretary",
    )
    meeting: str = result.ok()["scheduleJointMeeting"]["id"]
    return meeting


async def _cancel(api: Api) -> dict[str, Any]:
    return {"id": await _scheduled(api, []), "reason": "議題已在小區內解決"}


async def _reschedule(api: Api) -> dict[str, Any]:
    return {"id": await _scheduled(api, []), "scheduledFor": "2099-01-17T10:00:00+08:00"}


async def _remove_item(api: Api) -> dict[str, Any]:
    issue = (await issue_in(api, "ESCALATED"))["id"]
    return {"meeting": await _scheduled(api, [issue]), "issue": issue}


TABLES = (JointMeetingParticipant, JointMeetingItem, Issue, IssueEvent)

MEETING_CASES: dict[str, Case] = {
    "cancelJointMeeting": Case("secretary", "committee_member", _cancel, JointMeeting, TABLES),
    "rescheduleJointMeeting": Case("admin", "supervisor", _reschedule, JointMeeting, TABLES),
    "removeMeetingAgendaItem": Case("secretary", "resident", _remove_item, JointMeeting, TABLES),
}
