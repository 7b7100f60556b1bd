"""The demo city's compound meetings (小區黨支部先議): in each compound the party branch
deliberates a matter first (about one of the compound's issues), the owners' committee then
takes it up with the branch secretary sitting in (列席) and votes on it, and the branch has
a further meeting scheduled. Everything goes through the actions of resolvers/deliberations/
by the compound's own people, with the clock at its moment, backdated from today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col

from db import clock
from db.models import (
    AttendanceStatus,
    CompoundMeetingItem,
    Issue,
    IssueCategory,
    ResolutionOutcome,
)
from demo.sample.build import DemoCity
from demo.sample.moments import china_hour
from resolvers.deliberations.agenda import AgendaEntry
from resolvers.deliberations.holding import (
    Attendee,
    HoldMeeting,
    RecordAttendance,
    Resolution,
    hold_meeting,
    record_attendance,
)
from resolvers.deliberations.meetings import ScheduleCompoundMeeting, schedule_meeting

A = AttendanceStatus


@dataclass(frozen=True)
class Story:
    compound: str
    matter: str
    branch_members: tuple[str, ...]  # resident numbers: the secretary first
    committee_members: tuple[str, ...]  # the chair first
    votes: tuple[int, int, int]
    next_matter: str


STORIES = (
    Story("a", "增設電動車充電樁，規範飛線充電", ("0", "6", "3"), ("9", "3", "4"), (4, 0, 1),
          "物業服務合同續簽意見"),
    Story("b", "規範小區停車秩序，劃定臨時停車位", ("0", "3"), ("9", "4"), (2, 0, 0),
          "公共收益分紅方案"),
)  # fmt: skip


async def _issue(city: DemoCity, compound: str) -> int | None:
    """The compound's first parking issue, which both meetings are about."""
    async with city.db.read_sessions() as session:
        found = await session.execute(
            sa.select(col(Issue.id))
            .where(
                col(Issue.compound_id) == city.organisations[f"compound_{compound}"].id,
                col(Issue.category) == IssueCategory.PARKING,
            )
            .order_by(col(Issue.id))
            .limit(1)
        )
        return found.scalar_one_or_none()


async def _meeting(
    city: DemoCity,
    story: Story,
    body: str,
    members: tuple[str, ...],
    day: date,
    entry: AgendaEntry,
    title: str,
    votes: tuple[int, int, int] | None,
) -> int:
    """A meeting of BODY scheduled three days before DAY, attended and held on DAY; the id
    of its one agenda item."""
    key = story.compound
    convenor = f"{key}{members[0]}"
    with clock.frozen(china_hour(day - timedelta(days=3), 9)):
        meeting = await schedule_meeting(
            await city.as_person(convenor),
            ScheduleCompoundMeeting(
                body_id=city.organisations[f"{body}_{key}"].id or 0,
                title=title,
                scheduled_for=china_hour(day, 19),
                location="近鄰紅色驛站議事廳",
                agenda=[entry],
            ),
        )
    attendees = [Attendee(city.people[f"{key}{n}"].id or 0, A.PRESENT) for n in members]
    if body == "committee":  # the branch secretary sits in
        secretary = city.people[f"{key}{story.branch_members[0]}"].id or 0
        attendees.append(Attendee(secretary, A.SITTING_IN, "支部書記列席"))
    with clock.frozen(china_hour(day, 21)):
        ctx = await city.as_person(convenor)
        meeting = await record_attendance(ctx, RecordAttendance(meeting.id or 0, attendees))
        item_id = await only_item(city, meeting.id or 0)
        held = await hold_meeting(
            await city.as_person(convenor),
            HoldMeeting(
                meeting_id=meeting.id or 0,
                minutes=f"會議議定：{story.matter}。與會人員充分討論，形成決議。",
                resolutions=[
                    Resolution(
                        item_id=item_id,
                        outcome=ResolutionOutcome.ADOPTED,
                        resolution="同意，按方案推進並向居民公開。",
                        votes_for=votes[0] if votes else None,
                        votes_against=votes[1] if votes else None,
                        votes_abstain=votes[2] if votes else None,
                    )
                ],
            ),
        )
    assert held.id is not None
    return item_id


async def only_item(city: DemoCity, meeting_id: int) -> int:
    async with city.db.read_sessions() as session:
        found = await session.execute(
            sa.select(col(CompoundMeetingItem.id)).where(
                col(CompoundMeetingItem.meeting_id) == meeting_id
            )
        )
        return int(found.scalar_one() or 0)


async def _story(city: DemoCity, story: Story, today: date) -> None:
    issue_id = await _issue(city, story.compound)
    branch_item = await _meeting(
        city,
        story,
        "branch",
        story.branch_members,
        today - timedelta(days=20),
        AgendaEntry(issue_id=issue_id, matter=story.matter),
        "支部委員會（先議）",
        None,
    )
    await _meeting(
        city,
        story,
        "committee",
        story.committee_members,
        today - timedelta(days=10),
        AgendaEntry(branch_item_id=branch_item),
        "業主委員會會議",
        story.votes,
    )
    # The branch's next meeting is still to come: read by the branch and committees only.
    await schedule_meeting(
        await city.as_person(f"{story.compound}{story.branch_members[0]}"),
        ScheduleCompoundMeeting(
            body_id=city.organisations[f"branch_{story.compound}"].id or 0,
            title="支部委員會（先議）",
            scheduled_for=datetime.combine(
                today + timedelta(days=5), time(19), clock.CHINA_TIME
            ).astimezone(UTC),
            location="近鄰紅色驛站議事廳",
            agenda=[AgendaEntry(matter=story.next_matter)],
        ),
    )


async def load_demo_deliberations(city: DemoCity) -> None:
    """Add each compound's branch and owners' committee meetings."""
    today = clock.today()
    for story in STORIES:
        await _story(city, story, today)
