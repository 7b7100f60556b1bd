"""The demo city's resident problem list (居民問題清單) and one joint meeting (聯席會議).

Issues in both compounds cover every status. Each one is played through its story
(report, claim, work, comments, resolution, confirmation, escalation, decision) the way
the mutations in resolvers/issues/actions.py would have recorded it: the same status moves,
timeline events, timestamps, durations and version bumps, backdated over the last ~90
days. The joint meeting of 繼光花苑 took three escalated issues: it decided two, which went
back into work, and left the third on its agenda pending a survey.

The due time comes in as a function (from when the demo was in db/, which may not import
resolvers): the service passes its SLA table (resolvers.issues.sla.due_at); without it,
hours by priority alone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    PRIORITY_RANK,
    Issue,
    IssueEvent,
    IssueEventKind,
    JointMeeting,
    JointMeetingItem,
    JointMeetingParticipant,
    MeetingStatus,
)
from db.models import IssueChannel as Ch
from db.models import IssueStatus as S
from db.types import utcnow
from demo.sample.build import DemoCity
from demo.sample.issue_list import (
    ISSUES,
    MEETING_HELD,
    MEETING_LATE_ESCALATION,
    MEETING_LOCATION,
    MEETING_MINUTES,
    MEETING_PARTICIPANTS,
    MEETING_SCHEDULED,
    MEETING_TITLE,
    DemoIssue,
)
from demo.sample.issue_stories import (
    ACTORS,
    KINDS,
    MOVES,
    ORDINARY,
    PHOTO_BASE,
    DueAt,
    Meeting,
    Slot,
    Step,
    Story,
    default_due_at,
    local_day,
)


def play(
    issue: Issue,
    spec: DemoIssue,
    steps: list[Step],
    city: DemoCity,
    meeting: Meeting,
    originals: dict[str, Issue],
) -> list[IssueEvent]:
    """Apply STEPS to ISSUE as the mutations would; return its timeline."""
    orgs, people = city.organisations, city.people
    events: list[IssueEvent] = []
    previous: datetime | None = None
    for step in steps:
        when = step.when
        assert when is not None and (previous is None or when > previous), (issue.title, step)
        before = issue.status
        if step.action in MOVES:
            sources, after = MOVES[step.action]
            assert before in sources, (issue.title, step.action, before)
            issue.status = after
        organisation = orgs[step.organisation] if step.organisation else None
        event = IssueEvent(
            issue_id=issue.id or 0,
            kind=KINDS.get(step.action, IssueEventKind.STATUS_CHANGE),
            actor_person_id=people[step.actor].id,
            actor_organisation_id=organisation.id if organisation else None,
            from_status=before if step.action in MOVES else None,
            to_status=issue.status if step.action in MOVES else None,
            body=step.body,
            created_at=when,
        )
        seconds = int((when - issue.created_at).total_seconds())
        match step.action:
            case "report":
                event.body = issue.title
                if spec.channel is Ch.PHOTO_REPORT:
                    event.attachment_url = f"{PHOTO_BASE}/issue-{issue.id}.jpg"
            case "claim":
                issue.claimed_at, issue.claim_seconds = when, seconds
                issue.assignee_organisation_id = event.actor_organisation_id
            case "assign":
                # The claiming body names the firm's manager as the one who handles it.
                issue.assignee_person_id = people[ACTORS[spec.compound]["manager"][0]].id
            case "resolve":
                issue.resolved_at, issue.resolve_seconds = when, seconds
            case "reopen":
                # As the lifecycle does: a reopened issue is no longer resolved.
                issue.resolved_at, issue.resolve_seconds = None, None
            case "close":
                issue.closed_at, issue.satisfaction = when, spec.rating
            case "reject":
                issue.rejection_reason = step.body
            case "duplicate":
                original = originals[spec.original or ""]
                assert original.created_at < issue.created_at
                assert original.compound_id == issue.compound_id
                assert original.status is not S.DUPLICATE
                issue.duplicate_of_id = original.id
                event.body = f"duplicate of #{original.id}"
            case "escalate" if step.on_meeting:
                event.meeting_id = meeting.row.id
                meeting.items.append(
                    JointMeetingItem(meeting_id=meeting.row.id or 0, issue_id=issue.id or 0)
                )
            case "decide":
                # Recorded by the meeting's host; the decision assigns who takes it on.
                assert organisation is not None
                issue.assignee_organisation_id = organisation.id
                event.actor_organisation_id = meeting.row.organisation_id
                event.meeting_id = meeting.row.id
                meeting.items.append(
                    JointMeetingItem(
                        meeting_id=meeting.row.id or 0,
                        issue_id=issue.id or 0,
                        decision=step.body,
                        decided_at=when,
                        decided_by_id=event.actor_person_id,
                    )
                )
                meeting.row.version += 1
                meeting.row.updated_at = when
        if previous is not None:
            issue.version += 1
        issue.updated_at = previous = when
        events.append(event)
    assert issue.status is spec.status, (issue.title, issue.status)
    return events


async def load_demo_issues(
    session: AsyncSession, city: DemoCity, *, due_at: DueAt = default_due_at, seed: int = 2021
) -> None:
    """Add the demo issues, their timelines and the joint meeting to SESSION's transaction."""
    rng = random.Random(f"{seed}:issues")
    now = utcnow()
    orgs, people = city.organisations, city.people

    # The issues, inserted in the order they were reported, so ids follow time.
    planned: list[tuple[datetime, DemoIssue, str]] = []
    for spec in ISSUES:
        created = local_day(now, spec.days_ago, rng.uniform(8, 20.5))
        number = spec.reporter if spec.reporter is not None else rng.choice(ORDINARY[spec.compound])
        planned.append((created, spec, f"{spec.compound}{number}"))
    planned.sort(key=lambda p: p[0])
    rows: list[tuple[Issue, DemoIssue, str]] = []
    for created, spec, reporter in planned:
        person = people[reporter]
        compound = orgs[f"compound_{spec.compound}"]
        assert person.residence_compound_id == compound.id
        issue = Issue(
            compound_id=compound.id or 0,
            building_id=person.residence_building_id if spec.building else None,
            reporter_id=person.id or 0,
            channel=spec.channel,
            category=spec.category,
            priority=spec.priority,
            priority_rank=PRIORITY_RANK[spec.priority],
            title=spec.title,
            description=spec.description,
            status=S.REPORTED,
            due_at=due_at(created, spec.priority, spec.category),
            created_at=created,
            updated_at=created,
        )
        session.add(issue)
        rows.append((issue, spec, reporter))
    await session.flush()
    originals = {spec.key: issue for issue, spec, _ in rows if spec.key}

    # Compound A's joint meeting: put on the calendar with the issues escalated so far on its
    # agenda, one more escalated onto it before it met; held, it decided the first ones.
    scheduled_at = local_day(now, MEETING_SCHEDULED, rng.uniform(9, 11))
    scheduled_for = local_day(now, MEETING_HELD, 19.5)
    meeting = Meeting(
        JointMeeting(
            organisation_id=orgs["compound_a"].id or 0,
            title=MEETING_TITLE,
            scheduled_for=scheduled_for,
            location=MEETING_LOCATION,
            status=MeetingStatus.HELD,
            minutes=MEETING_MINUTES,
            convened_by_id=people["secretary"].id,
            created_at=scheduled_at,
            updated_at=scheduled_at,
        )
    )
    session.add(meeting.row)
    await session.flush()
    session.add_all(
        JointMeetingParticipant(meeting_id=meeting.row.id or 0, organisation_id=orgs[key].id or 0)
        for key in MEETING_PARTICIPANTS
    )
    slots: dict[int, Slot] = {}
    agenda = [i for i, (_, spec, _) in enumerate(rows) if spec.meeting == "agenda"]
    for n, index in enumerate(agenda):
        slots[index] = Slot(
            escalated_at=local_day(now, MEETING_SCHEDULED + len(agenda) - n, rng.uniform(14, 17)),
            decided_at=scheduled_for + timedelta(minutes=30 + 40 * n),
        )
    for index, (_, spec, _) in enumerate(rows):
        if spec.meeting == "late":
            slots[index] = Slot(local_day(now, MEETING_LATE_ESCALATION, rng.uniform(14, 17)))

    events: list[IssueEvent] = []
    for index, (issue, spec, reporter) in enumerate(rows):
        story = Story(spec, reporter, rng)
        steps = story.script(slots.get(index))
        story.layout(issue.created_at, now)
        events.extend(play(issue, spec, steps, city, meeting, originals))
    session.add_all(meeting.items)
    # One insert order for the whole city: event ids follow time, within and across issues.
    events.sort(key=lambda e: e.created_at)
    session.add_all(events)
    await session.flush()
