"""The city's problem list: issues in every state, each with the timeline that led there.

Issues are made in chunks in the order they were reported (ids follow time, as in a
running system); each status is reached through the lifecycle's own moves, so the
timeline, the timestamps and the resolution figures agree with one another.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from db.folding import issue_search_text
from db.models import (
    PRIORITY_RANK,
    STATUS_RANK,
    IssueCategory,
    IssueChannel,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
)
from demo.city.plan import CityPlan, Compound
from resolvers.issues.sla import due_at

S = IssueStatus
HISTORY = timedelta(days=3 * 365)
CHUNK = 20_000
PRIORITIES = list(IssuePriority)
PRIORITY_WEIGHTS = [20, 55, 20, 5]  # LOW, NORMAL, HIGH, URGENT
TITLES: dict[IssueCategory, str] = {
    IssueCategory.PARKING: "車位被長期佔用",
    IssueCategory.ILLEGAL_CONSTRUCTION: "樓頂違章搭建",
    IssueCategory.EV_CHARGING: "電動車充電樁不夠用",
    IssueCategory.DRAINAGE: "雨後地下車庫積水",
    IssueCategory.ELEVATOR: "電梯經常停運",
    IssueCategory.OLD_COMPOUND_RENOVATION: "老舊管網需要改造",
    IssueCategory.ENVIRONMENT: "垃圾清運不及時",
    IssueCategory.ELDER_CARE: "獨居老人需要探訪",
    IssueCategory.CHILDCARE: "兒童遊樂設施損壞",
    IssueCategory.SAFETY: "消防通道被堵",
    IssueCategory.OTHER: "路燈不亮",
}
# (action, status after it); the path that leads to each final status.
PATHS: dict[IssueStatus, tuple[str, ...]] = {
    S.REPORTED: ("report",),
    S.CLAIMED: ("report", "claim"),
    S.IN_PROGRESS: ("report", "claim", "assign", "start"),
    S.RESOLVED: ("report", "claim", "assign", "start", "resolve"),
    S.CLOSED: ("report", "claim", "assign", "start", "resolve", "close"),
    S.REOPENED: ("report", "claim", "assign", "start", "resolve", "reopen"),
    S.ESCALATED: ("report", "claim", "escalate"),
    S.REJECTED: ("report", "reject"),
    S.DUPLICATE: ("report", "duplicate"),
}
MOVES: dict[str, IssueStatus] = {
    "claim": S.CLAIMED,
    "start": S.IN_PROGRESS,
    "resolve": S.RESOLVED,
    "close": S.CLOSED,
    "reopen": S.REOPENED,
    "escalate": S.ESCALATED,
    "reject": S.REJECTED,
    "duplicate": S.DUPLICATE,
}
KINDS = {
    "report": IssueEventKind.REPORT,
    "claim": IssueEventKind.CLAIM,
    "assign": IssueEventKind.ASSIGNMENT,
    "escalate": IssueEventKind.ESCALATION,
}
# Older issues are mostly settled; recent ones are still being worked.
OLD_MIX = {
    S.CLOSED: 78, S.REJECTED: 5, S.DUPLICATE: 3, S.RESOLVED: 4, S.ESCALATED: 2,
    S.IN_PROGRESS: 4, S.REOPENED: 2, S.CLAIMED: 1, S.REPORTED: 1,
}  # fmt: skip
RECENT_MIX = {
    S.REPORTED: 20, S.CLAIMED: 15, S.IN_PROGRESS: 20, S.RESOLVED: 15, S.CLOSED: 20,
    S.REOPENED: 3, S.ESCALATED: 3, S.REJECTED: 2, S.DUPLICATE: 2,
}  # fmt: skip
SETTLED_AFTER = timedelta(days=45)
# Enum members and weights as lists once: iterating an enum per issue is slow.
CATEGORIES = list(IssueCategory)
CHANNELS = list(IssueChannel)
OLD_STATES, OLD_WEIGHTS = list(OLD_MIX), list(OLD_MIX.values())
RECENT_STATES, RECENT_WEIGHTS = list(RECENT_MIX), list(RECENT_MIX.values())


@dataclass
class Chunk:
    issues: list[dict[str, Any]]
    events: list[dict[str, Any]]


class _IssueMaker:
    def __init__(self, plan: CityPlan, now: datetime, rng: random.Random) -> None:
        self.plan = plan
        self.now = now
        self.rng = rng
        self.next_issue = 1
        self.next_event = 1
        # The latest issue of each compound that another can be a duplicate of.
        self.latest: dict[int, tuple[int, datetime]] = {}
        self.cum_weights = plan.cumulative_weights()

    def chunk(self, start: datetime, end: datetime, count: int) -> Chunk:
        rng = self.rng
        span = (end - start).total_seconds()
        moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(count))
        compounds = rng.choices(self.plan.compounds, cum_weights=self.cum_weights, k=count)
        chunk = Chunk([], [])
        for created, compound in zip(moments, compounds, strict=True):
            self.issue(chunk, compound, created)
        return chunk

    def status_for(self, created: datetime, compound_id: int) -> IssueStatus:
        if self.now - created > SETTLED_AFTER:
            status = self.rng.choices(OLD_STATES, weights=OLD_WEIGHTS)[0]
        else:
            status = self.rng.choices(RECENT_STATES, weights=RECENT_WEIGHTS)[0]
        if status is S.DUPLICATE and compound_id not in self.latest:
            return S.REJECTED
        return status

    def issue(self, chunk: Chunk, compound: Compound, created: datetime) -> None:
        rng = self.rng
        issue_id = self.next_issue
        self.next_issue += 1
        priority = rng.choices(PRIORITIES, weights=PRIORITY_WEIGHTS)[0]
        category = rng.choice(CATEGORIES)
        reporter = rng.choice(compound.residents)
        status = self.status_for(created, compound.org.id)
        claimer = rng.choice(
            ((compound.secretary, compound.branch), (compound.committee_member, compound.committee))
        )
        title = f"{TITLES[category]}（{issue_id}）"
        row: dict[str, Any] = {
            "id": issue_id,
            "compound_id": compound.org.id,
            "building_id": rng.choice(compound.buildings),
            "reporter_id": reporter,
            "channel": rng.choice(CHANNELS),
            "category": category,
            "priority": priority,
            "priority_rank": PRIORITY_RANK[priority],
            "title": title,
            "description": "",
            # Written past the ORM, so the folded copy the model's hooks keep is filled here.
            "search_text": issue_search_text(title, ""),
            "status": S.REPORTED,
            "assignee_organisation_id": None,
            "assignee_person_id": None,
            "due_at": due_at(created, priority, category),
            "created_at": created,
            "updated_at": created,
            "claimed_at": None,
            "resolved_at": None,
            "closed_at": None,
            "claim_seconds": None,
            "resolve_seconds": None,
            "satisfaction": None,
            "rejection_reason": None,
            "duplicate_of_id": None,
            "version": 1,
        }
        path = PATHS[status]
        gaps = [rng.uniform(1, 72) for _ in path[1:]]
        room = (self.now - created).total_seconds() / 3600 * 0.9
        scale = min(1.0, room / sum(gaps)) if gaps else 1.0
        when = created
        for step, action in enumerate(path):
            if step:
                when = when + timedelta(hours=gaps[step - 1] * scale)
            actor, organisation = self.actor(action, compound, reporter, claimer)
            self.apply(row, action, when, claimer, compound)
            chunk.events.append(
                {
                    "id": self.next_event,
                    "issue_id": issue_id,
                    "kind": KINDS.get(action, IssueEventKind.STATUS_CHANGE),
                    "actor_person_id": actor,
                    "actor_organisation_id": organisation,
                    "from_status": row["_before"] if action in MOVES else None,
                    "to_status": row["status"] if action in MOVES else None,
                    "body": row["title"] if action == "report" else None,
                    "attachment_url": None,
                    "meeting_id": None,
                    "created_at": when,
                }
            )
            self.next_event += 1
        del row["_before"]
        row["status_rank"] = STATUS_RANK[row["status"]]
        row["updated_at"] = when
        row["version"] = len(path)
        if status is not S.DUPLICATE:
            self.latest[compound.org.id] = (issue_id, created)
        chunk.issues.append(row)

    def actor(
        self, action: str, compound: Compound, reporter: int, claimer: tuple[int, int]
    ) -> tuple[int, int | None]:
        if action in ("report", "close", "reopen"):
            return reporter, None
        if action == "assign":
            return claimer
        if action in ("start", "resolve"):
            return compound.firm_manager, compound.firm
        if action == "claim":
            return claimer
        return compound.secretary, compound.branch

    def apply(
        self,
        row: dict[str, Any],
        action: str,
        when: datetime,
        claimer: tuple[int, int],
        compound: Compound,
    ) -> None:
        row["_before"] = row["status"]
        if action in MOVES:
            row["status"] = MOVES[action]
        seconds = int((when - row["created_at"]).total_seconds())
        match action:
            case "claim":
                row["claimed_at"], row["claim_seconds"] = when, seconds
                row["assignee_organisation_id"] = claimer[1]
            case "assign":
                # The claiming body hands the work to the compound's property firm.
                row["assignee_organisation_id"] = compound.firm
                row["assignee_person_id"] = compound.firm_manager
            case "resolve":
                row["resolved_at"], row["resolve_seconds"] = when, seconds
            case "reopen":
                # As the lifecycle does: a reopened issue is no longer resolved.
                row["resolved_at"], row["resolve_seconds"] = None, None
            case "close":
                row["closed_at"] = when
                row["satisfaction"] = self.rng.choices((1, 2, 3, 4, 5), weights=(3, 4, 13, 40, 40))[
                    0
                ]
            case "reject":
                row["rejection_reason"] = "不屬於小區事務，已告知居民向有關部門反映"
            case "duplicate":
                row["duplicate_of_id"] = self.latest[row["compound_id"]][0]


def issue_chunks(plan: CityPlan, count: int, now: datetime, seed: int) -> Iterator[Chunk]:
    """COUNT issues reported over the last three years up to NOW, CHUNK at a time."""
    maker = _IssueMaker(plan, now, random.Random(seed))
    start = now - HISTORY
    end = now - timedelta(hours=1)
    chunks = max(1, -(-count // CHUNK))
    step = (end - start) / chunks
    made = 0
    for index in range(chunks):
        size = min(CHUNK, count - made)
        yield maker.chunk(start + step * index, start + step * (index + 1), size)
        made += size
