"""Factories for test data, written straight to the test's transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

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
    Position,
    PositionTitle,
)
from db.types import utcnow


async def household_heads(db: Database, compound_id: int, count: int) -> list[int]:
    """COUNT new residents of the compound, each a party household head in a party group."""
    async with db.write() as session:
        group = (
            (
                await session.execute(
                    sa.select(Organisation).where(
                        Organisation.compound_id == compound_id,
                        Organisation.kind == OrganisationKind.PARTY_GROUP,
                    )
                )
            )
            .scalars()
            .first()
        )
        assert group is not None
        people = [
            Person(name=f"樓長{n:03d}", residence_compound_id=compound_id) for n in range(count)
        ]
        session.add_all(people)
        await session.flush()
        positions = [
            Position(
                person_id=p.id or 0,
                organisation_id=group.id or 0,
                title=PositionTitle.PARTY_HOUSEHOLD_HEAD,
                start_date=date(2025, 1, 1),
            )
            for p in people
        ]
        session.add_all(positions)
        await session.flush()
        return [p.id or 0 for p in positions]


async def issues(db: Database, specs: list[dict[str, Any]]) -> list[int]:
    """Issues written straight to the table, one per spec (fields of Issue over defaults),
    each with its REPORT event, and a CLAIM event when it has an assignee."""
    now = utcnow()
    async with db.write() as session:
        rows = []
        for spec in specs:
            priority = IssuePriority(spec.get("priority", IssuePriority.NORMAL))
            values: dict[str, Any] = {
                "channel": IssueChannel.PHOTO_REPORT,
                "category": IssueCategory.OTHER,
                "status": IssueStatus.REPORTED,
                "created_at": now,
                "updated_at": now,
                "due_at": now + timedelta(days=7),
                **spec,
                "priority": priority,
                "priority_rank": PRIORITY_RANK[priority],
            }
            rows.append(Issue(**values))
        session.add_all(rows)
        await session.flush()
        for issue in rows:
            session.add(
                IssueEvent(
                    issue_id=issue.id or 0,
                    kind=IssueEventKind.REPORT,
                    actor_person_id=issue.reporter_id,
                    body=issue.title,
                    created_at=issue.created_at,
                )
            )
            if issue.assignee_organisation_id is not None:
                session.add(
                    IssueEvent(
                        issue_id=issue.id or 0,
                        kind=IssueEventKind.CLAIM,
                        actor_organisation_id=issue.assignee_organisation_id,
                        from_status=IssueStatus.REPORTED,
                        to_status=IssueStatus.CLAIMED,
                        created_at=issue.created_at,
                    )
                )
        await session.flush()
        return [issue.id or 0 for issue in rows]
