"""How a demo issue is played: who acts in each compound, and the story of steps (the
actions of resolvers/issues/ in order) laid out in the compounds' daytime."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from db.clock import CHINA_TIME
from db.models import IssueChannel as Ch
from db.models import IssuePriority as P
from db.models import IssueStatus as S
from demo.sample.issue_list import DemoIssue

# Ningde keeps China Standard Time: people report and act in the daytime there.
LOCAL = CHINA_TIME  # the compounds' calendar
RESOLVE_HOURS = {P.URGENT: (2, 20), P.HIGH: (12, 60), P.NORMAL: (24, 150), P.LOW: (48, 240)}
PHOTO_BASE = "https://img.jinlin.example/demo"


# Who does what in each compound (keys of DemoCity.people). Only members of the branch
# and committees may claim, reject, mark duplicates, escalate or report for others.
ACTORS = {
    "a": {
        "branch": ("a0", "a6", "a3"),
        "committee": ("a9", "a4", "a3"),
        "firm": ("a0", "a9", "a4"),  # who claims an issue for the firm
        "triage": ("a9", "a4"),
        "recorder": ("a0", "a6"),
        "secretary": ("a0",),
        "manager": ("manager_a",),
    },
    "b": {
        "branch": ("b0", "b3"),
        "committee": ("b9", "b4"),
        "firm": ("b0", "b9"),
        "triage": ("b9", "b4"),
        "recorder": ("b0", "b3"),
        "secretary": ("b0",),
        "manager": ("manager_b",),
    },
}
# Residents without a position, who report most problems; "a1"/"b1" (the demo resident
# tokens) report only the issues that name them.
ORDINARY = {
    "a": (2, 10, 11, 13, 14, 16, 17, 19, 20, 22, 23, 25, 26, 27, 28, 29),
    "b": (2, 5, 6, 7, 8, 10, 11, 13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28),
}
ON_BEHALF = frozenset({Ch.DOOR_TO_DOOR_VISIT, Ch.HOTLINE})


@dataclass
class Step:
    """One action on an issue: who, what, and when (a gap after the last, or a fixed time)."""

    action: str
    actor: str  # a key of DemoCity.people
    organisation: str | None = None  # a key of DemoCity.organisations
    body: str | None = None
    gap: tuple[float, float] = (1, 24)  # hours after the previous step
    at: datetime | None = None  # a fixed time instead of a gap
    on_meeting: bool = False  # an escalation onto the joint meeting's agenda
    when: datetime | None = None  # laid out by Story.layout


@dataclass(frozen=True)
class Slot:
    """When an issue meets the joint meeting: escalated at, and decided at (if it was)."""

    escalated_at: datetime
    decided_at: datetime | None = None


def local_day(now: datetime, days_ago: int, hour: float) -> datetime:
    """HOUR o'clock (local) on the local day DAYS_AGO days before NOW, in UTC."""
    day = (now.astimezone(LOCAL) - timedelta(days=days_ago)).date()
    return (datetime.combine(day, time(0), LOCAL) + timedelta(hours=hour)).astimezone(UTC)


def daytime(moment: datetime) -> datetime:
    """MOMENT, moved on to the next morning when it falls in the local night."""
    local = moment.astimezone(LOCAL)
    if 8 <= local.hour < 21:
        return moment
    morning = datetime.combine(local.date(), time(8), LOCAL) + timedelta(minutes=local.minute)
    if local.hour >= 21:
        morning += timedelta(days=1)
    return morning.astimezone(UTC)


class Story:
    """The steps of one issue, built from its DemoIssue, then laid out in time and played."""

    def __init__(self, spec: DemoIssue, reporter: str, rng: random.Random) -> None:
        self.spec = spec
        self.reporter = reporter
        self.rng = rng
        self.actors = ACTORS[spec.compound]
        self.steps: list[Step] = []

    def pick(self, role: str) -> str:
        return self.rng.choice(self.actors[role])

    def add(
        self,
        action: str,
        actor: str,
        *,
        organisation: str | None = None,
        body: str | None = None,
        gap: tuple[float, float] = (1, 24),
        at: datetime | None = None,
        on_meeting: bool = False,
    ) -> None:
        self.steps.append(Step(action, actor, organisation, body, gap, at, on_meeting))

    def script(self, slot: Slot | None) -> list[Step]:
        spec = self.spec
        recorder = self.pick("recorder") if spec.channel in ON_BEHALF else self.reporter
        self.add("report", recorder, gap=(0, 0))
        if spec.status is S.REJECTED:
            self.add("reject", self.pick("triage"), body=spec.note, gap=(4, 48))
            return self.steps
        if spec.status is S.DUPLICATE:
            self.add("duplicate", self.pick("triage"), gap=(2, 30))
            return self.steps
        if spec.status is S.REPORTED:
            if spec.ask:
                self.add("comment", self.reporter, body=spec.ask, gap=(1, 6))
            return self.steps

        # A member of the branch or a committee claims it for the taking organisation.
        claimer, taker = self.pick(spec.taker), f"{spec.taker}_{spec.compound}"
        self.add("claim", claimer, organisation=taker, gap=(1, 30))
        worker, worker_org = claimer, None
        if spec.taker == "firm":
            # The firm acts through its manager and speaks for itself (as the firm's grant does).
            worker, worker_org = self.actors["manager"][0], taker
            if spec.priority in (P.URGENT, P.HIGH):
                self.add("assign", claimer, organisation=taker, gap=(0.2, 2))
        if spec.status is S.CLAIMED:
            if spec.reply:
                self.add("comment", worker, organisation=worker_org, body=spec.reply, gap=(1, 20))
            return self.steps

        self.add("start", worker, organisation=worker_org, gap=(1, 24))
        if spec.ask:
            self.add("comment", self.reporter, body=spec.ask, gap=(6, 48))
        if spec.reply and spec.reopen is None:
            self.add("comment", worker, organisation=worker_org, body=spec.reply, gap=(1, 10))
        if spec.status is S.ESCALATED or spec.meeting:
            self.escalate(slot)
            return self.steps
        if spec.status is S.IN_PROGRESS:
            return self.steps

        resolve_gap = RESOLVE_HOURS[spec.priority]
        self.add("resolve", worker, organisation=worker_org, body=spec.note, gap=resolve_gap)
        if spec.reopen:
            self.add("reopen", self.reporter, body=spec.reopen, gap=(10, 72))
            if spec.status is S.REOPENED:
                return self.steps
            self.add("start", worker, organisation=worker_org, gap=(1, 12))
            if spec.reply:
                self.add("comment", worker, organisation=worker_org, body=spec.reply, gap=(1, 6))
            self.add("resolve", worker, organisation=worker_org, body=spec.note2, gap=resolve_gap)
        if spec.status is S.RESOLVED:
            return self.steps
        self.add("close", self.reporter, body=spec.review, gap=(10, 72))
        return self.steps

    def escalate(self, slot: Slot | None) -> None:
        spec, secretary = self.spec, self.pick("secretary")
        if slot is None:
            self.add("escalate", secretary, body=spec.note, gap=(24, 96))
            return
        if slot.decided_at is None:
            # Escalated onto the already scheduled meeting; no decision on it yet.
            self.add("escalate", secretary, body=spec.note, at=slot.escalated_at, on_meeting=True)
            return
        # Escalated first; the meeting, scheduled later, took it onto its agenda and decided.
        self.add("escalate", secretary, body=spec.note, at=slot.escalated_at)
        self.add(
            "decide",
            secretary,
            organisation=spec.decided_for,
            body=spec.decision,
            at=slot.decided_at,
        )
        if spec.follow_up:
            self.add("comment", self.pick("committee"), body=spec.follow_up, gap=(48, 120))

    def layout(self, created: datetime, now: datetime) -> None:
        """Give every step a time: after the one before, in the local daytime, before NOW
        and before the next fixed time; squeezed evenly where the gaps would not fit."""
        self.steps[0].when = created
        start, index = 0, 1
        while index <= len(self.steps):
            # The segment runs from steps[start] to the next fixed step (or to now).
            end = index
            while end < len(self.steps) and self.steps[end].at is None:
                end += 1
            limit = self.steps[end].at if end < len(self.steps) else now - timedelta(minutes=30)
            assert limit is not None
            begin = self.steps[start].when
            assert begin is not None and begin < limit, (self.spec.title, begin, limit)
            gaps = [timedelta(hours=self.rng.uniform(*s.gap)) for s in self.steps[index:end]]
            moment, times = begin, []
            for gap in gaps:
                moment = daytime(moment + gap)
                times.append(moment)
            if times and times[-1] >= limit:
                share = (limit - begin) / (len(gaps) + 1)
                times = [begin + share * (n + 1) for n in range(len(gaps))]
            for step, when in zip(self.steps[index:end], times, strict=True):
                step.when = when
            if end < len(self.steps):
                self.steps[end].when = self.steps[end].at
            start, index = end, end + 1
