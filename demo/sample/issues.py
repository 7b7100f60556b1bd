"""The demo city's resident problem list (居民問題清單) and one joint meeting (聯席會議).

Issues in both compounds cover every status. Each one is played through its story (report,
claim, work, comments, resolution, confirmation, escalation, decision) by the people in it,
through the issue actions of resolvers/issues/, with the clock set to the moment of each step
over the last ~90 days: the lifecycle, the permissions, the timestamps, durations and versions
are the API's own. Steps of all issues run in time order, so ids follow time. The joint
meeting of 繼光花苑 took three escalated issues: it decided two, which went back into work,
and left the third on its agenda pending a survey.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from db import clock
from db.models import Issue
from db.models import IssueChannel as Ch
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
    ORDINARY,
    PHOTO_BASE,
    Slot,
    Step,
    Story,
    local_day,
)
from resolvers.issues import actions
from resolvers.issues.commands import (
    AssignIssue,
    ClaimIssue,
    CommentOnIssue,
    ConfirmIssue,
    EscalateIssue,
    MarkDuplicate,
    NoteIssue,
    ReportIssue,
)
from resolvers.issues.meetings import (
    RecordDecision,
    ScheduleMeeting,
    escalate_issue,
    record_decision,
    schedule_meeting,
)


@dataclass(frozen=True)
class Planned:
    """An issue of the list, when it is reported and by whom (a key of DemoCity.people)."""

    created: datetime
    spec: DemoIssue
    reporter: str


@dataclass
class Playing:
    """What the played steps have made so far: issue ids by plan index, and the meeting."""

    city: DemoCity
    plan: list[Planned]
    ids: dict[int, int] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)  # DemoIssue.key -> issue id
    meeting_id: int = 0
    minutes_taken: bool = False

    def org(self, key: str | None) -> int:
        return self.city.organisations[key or ""].id or 0

    async def schedule(self, scheduled_for: datetime, agenda: list[int]) -> None:
        """The secretary puts the meeting on the calendar with the issues escalated so far."""
        meeting = await schedule_meeting(
            await self.city.as_person("secretary"),
            ScheduleMeeting(
                organisation_id=self.org("compound_a"),
                title=MEETING_TITLE,
                scheduled_for=scheduled_for,
                location=MEETING_LOCATION,
                participant_ids=[self.org(key) for key in MEETING_PARTICIPANTS],
                agenda_issue_ids=[self.ids[index] for index in agenda],
            ),
        )
        self.meeting_id = meeting.id or 0

    async def step(self, index: int, step: Step) -> None:
        """Play STEP of issue INDEX as its actor, with that person's own grants."""
        planned = self.plan[index]
        spec = planned.spec
        ctx = await self.city.as_person(step.actor)
        issue_id = self.ids.get(index, 0)
        match step.action:
            case "report":
                reporter = self.city.people[planned.reporter]
                photo = f"{PHOTO_BASE}/{step.when:%Y%m%d%H%M%S}.jpg"
                issue = await actions.report_issue(
                    ctx,
                    ReportIssue(
                        compound_id=self.org(f"compound_{spec.compound}"),
                        channel=spec.channel,
                        category=spec.category,
                        title=spec.title,
                        description=spec.description,
                        priority=spec.priority,
                        building_id=reporter.residence_building_id if spec.building else None,
                        reporter_id=reporter.id,
                        attachment_url=photo if spec.channel is Ch.PHOTO_REPORT else None,
                    ),
                )
                self.ids[index] = issue.id or 0
                if spec.key:
                    self.keys[spec.key] = issue.id or 0
            case "claim":
                await actions.claim_issue(
                    ctx, ClaimIssue(id=issue_id, organisation_id=self.org(step.organisation))
                )
            case "assign":
                # The claiming body names the firm's manager as the one who handles it.
                manager = self.city.people[ACTORS[spec.compound]["manager"][0]].id
                await actions.assign_issue(
                    ctx,
                    AssignIssue(
                        id=issue_id, organisation_id=self.org(step.organisation), person_id=manager
                    ),
                )
            case "start":
                await actions.start_issue(ctx, NoteIssue(id=issue_id, note=step.body))
            case "resolve":
                await actions.resolve_issue(ctx, NoteIssue(id=issue_id, note=step.body))
            case "reject":
                await actions.reject_issue(ctx, NoteIssue(id=issue_id, note=step.body))
            case "close":
                await actions.confirm_issue(
                    ctx, ConfirmIssue(id=issue_id, satisfaction=spec.rating, comment=step.body)
                )
            case "reopen":
                await actions.confirm_issue(
                    ctx, ConfirmIssue(id=issue_id, accept=False, comment=step.body)
                )
            case "duplicate":
                original = self.keys[spec.original or ""]
                await actions.mark_duplicate(ctx, MarkDuplicate(id=issue_id, original_id=original))
            case "comment":
                await actions.comment_on_issue(ctx, CommentOnIssue(id=issue_id, body=step.body))
            case "escalate":
                meeting = self.meeting_id if step.on_meeting else None
                await escalate_issue(
                    ctx, EscalateIssue(id=issue_id, reason=step.body or "", meeting_id=meeting)
                )
            case "decide":
                # The meeting's minutes are recorded with its first decision.
                minutes = None if self.minutes_taken else MEETING_MINUTES
                self.minutes_taken = True
                await record_decision(
                    ctx,
                    RecordDecision(
                        meeting_id=self.meeting_id,
                        issue_id=issue_id,
                        decision=step.body or "",
                        assignee_id=self.org(step.organisation),
                        minutes=minutes,
                    ),
                )
            case other:
                raise ValueError(f"the demo has no step {other!r}")


async def load_demo_issues(city: DemoCity, *, seed: int = 2021) -> None:
    """Report the demo issues and play their stories and the joint meeting, in time order."""
    rng = random.Random(f"{seed}:issues")
    now = utcnow()

    # The issues in the order they were reported, so ids follow time.
    plan: list[Planned] = []
    for spec in ISSUES:
        created = local_day(now, spec.days_ago, rng.uniform(8, 20.5))
        number = spec.reporter if spec.reporter is not None else rng.choice(ORDINARY[spec.compound])
        plan.append(Planned(created, spec, f"{spec.compound}{number}"))
    plan.sort(key=lambda p: p.created)

    # Compound A's joint meeting: put on the calendar with the issues escalated so far on its
    # agenda, one more escalated onto it before it met; held, it decided the first ones.
    scheduled_at = local_day(now, MEETING_SCHEDULED, rng.uniform(9, 11))
    scheduled_for = local_day(now, MEETING_HELD, 19.5)
    slots: dict[int, Slot] = {}
    agenda = [i for i, p in enumerate(plan) if p.spec.meeting == "agenda"]
    for n, index in enumerate(agenda):
        slots[index] = Slot(
            escalated_at=local_day(now, MEETING_SCHEDULED + len(agenda) - n, rng.uniform(14, 17)),
            decided_at=scheduled_for + timedelta(minutes=30 + 40 * n),
        )
    for index, planned in enumerate(plan):
        if planned.spec.meeting == "late":
            slots[index] = Slot(local_day(now, MEETING_LATE_ESCALATION, rng.uniform(14, 17)))

    steps: list[tuple[datetime, int, Step]] = []
    for index, planned in enumerate(plan):
        story = Story(planned.spec, planned.reporter, rng)
        script = story.script(slots.get(index))
        story.layout(planned.created, now)
        steps.extend((step.when or now, index, step) for step in script)
    steps.sort(key=lambda s: s[0])

    playing = Playing(city, plan)
    scheduled = False
    for when, index, step in steps:
        if not scheduled and when > scheduled_at:
            with clock.frozen(scheduled_at):
                await playing.schedule(scheduled_for, agenda)
            scheduled = True
        with clock.frozen(when):
            await playing.step(index, step)
    assert scheduled and len(playing.ids) == len(plan)
    await _check_endings(playing)


async def _check_endings(playing: Playing) -> None:
    """Every story ends where the list says it does."""
    async with playing.city.db.read_sessions() as session:
        for index, planned in enumerate(playing.plan):
            issue = await session.get(Issue, playing.ids[index])
            assert issue is not None and issue.status is planned.spec.status, planned.spec.title
