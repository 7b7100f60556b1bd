"""Benchmark: the resident problem list, 100 issues with reporter, compound, assignee and
last timeline event, as the compound's party secretary, over HTTP.

Prints requests/s (sequential and with concurrent clients) against a real uvicorn
process, and the SQL statements one such request issues. The database is a fresh
SQLite file unless JINLIN_DATABASE_URL names another (its public schema is reset).

    python bench/issues_list.py [--requests 300] [--concurrency 4]
"""

from __future__ import annotations

import itertools
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Benchmark, main
from db.engine import Database
from db.models import (
    PRIORITY_RANK,
    Issue,
    IssueCategory,
    IssueChannel,
    IssueEvent,
    IssueEventKind,
    IssuePriority,
    IssueStatus,
    Organisation,
    OrganisationKind,
    Person,
)
from db.types import utcnow
from resolvers.issues.sla import due_at

QUERY = """
query ($c: ID!) {
  issues(first: 100, filter: {compound: $c}) {
    edges { node { id title status dueAt overdue
      reporter { name } compound { name } assignee { name }
      lastEvent { kind createdAt } } }
  }
}
"""
TAKERS = (OrganisationKind.PARTY_BRANCH, OrganisationKind.OWNERS_COMMITTEE)


async def add_issues(db: Database, count: int = 300) -> None:
    """COUNT more issues in 繼光花苑, reported by its residents over the last 30 days; every
    other one claimed by the branch or the owners' committee. Each has its REPORT event and,
    when claimed, its CLAIM event."""
    async with db.write() as session:
        compound = (
            await session.execute(sa.select(Organisation).where(Organisation.name == "繼光花苑"))
        ).scalar_one()
        residents = (
            (
                await session.execute(
                    sa.select(Person)
                    .where(Person.residence_compound_id == compound.id)
                    .order_by(Person.id)
                )
            )
            .scalars()
            .all()
        )
        takers = (
            (
                await session.execute(
                    sa.select(Organisation).where(
                        Organisation.compound_id == compound.id,
                        col(Organisation.kind).in_(TAKERS),
                    )
                )
            )
            .scalars()
            .all()
        )
        now = utcnow()
        categories, priorities = itertools.cycle(IssueCategory), itertools.cycle(IssuePriority)
        issues: list[Issue] = []
        for n in range(count):
            created = now - timedelta(days=30) + timedelta(minutes=137 * n)
            category, priority = next(categories), next(priorities)
            claimed = n % 2 == 1
            issues.append(
                Issue(
                    compound_id=compound.id or 0,
                    reporter_id=residents[n % len(residents)].id or 0,
                    channel=IssueChannel.PHOTO_REPORT,
                    category=category,
                    priority=priority,
                    priority_rank=PRIORITY_RANK[priority],
                    title=f"測試問題{n:04d}",
                    status=IssueStatus.CLAIMED if claimed else IssueStatus.REPORTED,
                    assignee_organisation_id=takers[n % len(takers)].id if claimed else None,
                    due_at=due_at(created, priority, category),
                    created_at=created,
                    updated_at=created + timedelta(hours=2) if claimed else created,
                    claimed_at=created + timedelta(hours=2) if claimed else None,
                    claim_seconds=7200 if claimed else None,
                    version=2 if claimed else 1,
                )
            )
        session.add_all(issues)
        await session.flush()
        for issue in issues:
            session.add(
                IssueEvent(
                    issue_id=issue.id or 0,
                    kind=IssueEventKind.REPORT,
                    actor_person_id=issue.reporter_id,
                    body=issue.title,
                    created_at=issue.created_at,
                )
            )
            if issue.claimed_at is not None:
                session.add(
                    IssueEvent(
                        issue_id=issue.id or 0,
                        kind=IssueEventKind.CLAIM,
                        actor_person_id=residents[0].id,  # the branch secretary
                        actor_organisation_id=issue.assignee_organisation_id,
                        from_status=IssueStatus.REPORTED,
                        to_status=IssueStatus.CLAIMED,
                        created_at=issue.claimed_at,
                    )
                )


def full_page(data: Any) -> None:
    edges = data["issues"]["edges"]
    assert len(edges) == 100
    assert all(e["node"]["reporter"] and e["node"]["lastEvent"] for e in edges)


BENCHMARK = Benchmark(
    name="issues_list",
    query=QUERY,
    rows="100 rows, reporter + compound + assignee + lastEvent per row",
    setup=add_issues,
    variables=lambda ids: {"c": ids["compound_a"]},
    check=full_page,
)

if __name__ == "__main__":
    main(BENCHMARK, __doc__)
