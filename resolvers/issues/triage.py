"""Triage (分診): the compound's branch or committees correct the priority and/or category the
reporter chose, saying why; the due time follows the new SLA.

The reporter's choice set the due time when the issue was reported (resolvers/issues/sla.py);
until now nothing could correct it. A correction recomputes the due time as the SLA counts it:
the allowed time of the new priority and category from the report, or from the latest joint
meeting decision that sent the issue back into work (a deadline the meeting gave explicitly is
replaced: the correction says how pressing the issue is now).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import PRIORITY_RANK, Issue, IssueEvent, IssueEventKind
from resolvers.audited import AuditRecord
from resolvers.context import RequestContext
from resolvers.errors import BadUserInput
from resolvers.i18n import coded, tr
from resolvers.issues.changes import (
    RESOURCE,
    acting_organisation,
    add_event,
    change_issue,
    issue_place,
)
from resolvers.issues.commands import TriageIssue
from resolvers.issues.lifecycle import FINAL_STATES
from resolvers.issues.sla import allowed_time
from resolvers.mutations import RowMutation
from resolvers.outbox import EventKind
from resolvers.text import clean_text

# extensions.reason of the refusals, stable for clients to branch on.
ISSUE_CLOSED = "ISSUE_CLOSED"
NOTHING_TO_CHANGE = "NOTHING_TO_CHANGE"


def _not_final(ctx: RequestContext, issue: Issue) -> None:
    """A closed, rejected or duplicate issue keeps the priority and category it ended with:
    its due time and the statistics over it are history."""
    if issue.status in FINAL_STATES:
        raise BadUserInput(
            tr(
                "This issue is {status}; its priority and category can no longer be corrected.",
                status=coded(issue.status),
            ),
            reason=ISSUE_CLOSED,
            currentStatus=issue.status.value,  # extension keys are camelCase
        )


TRIAGE_ISSUE = RowMutation(
    operation="triageIssue",
    announces=EventKind.ISSUE_TRIAGED,
    resource=RESOURCE,
    action="triage",
    what=tr("correct this issue's priority or category"),
    needs=" (the compound's party branch and committees; never the reporter or the firm)",
    model=Issue,
    noun=tr("issue"),
    locate=issue_place,
    guard=_not_final,
    checks_version=True,
)


async def sla_start(session: AsyncSession, issue: Issue) -> datetime:
    """Where the issue's allowed time is counted from: its latest joint meeting decision, or
    its report."""
    decided = await session.execute(
        sa.select(sa.func.max(col(IssueEvent.created_at))).where(
            col(IssueEvent.issue_id) == issue.id,
            col(IssueEvent.kind) == IssueEventKind.DECISION,
        )
    )
    latest: datetime | None = decided.scalar()
    return latest or issue.created_at


async def triage_issue(ctx: RequestContext, data: TriageIssue) -> Issue:
    async def apply(session: AsyncSession, issue: Issue, record: AuditRecord) -> None:
        reason = clean_text(data.reason, tr("reason"), required=True)
        priority = data.priority or issue.priority
        category = data.category or issue.category
        if priority is issue.priority and category is issue.category:
            raise BadUserInput(
                tr(
                    "Give a new priority or category: the issue is already {priority} and "
                    "{category}.",
                    priority=coded(issue.priority),
                    category=coded(issue.category),
                ),
                reason=NOTHING_TO_CHANGE,
            )
        before_due = issue.due_at
        due = await sla_start(session, issue) + allowed_time(priority, category)
        event = add_event(
            session,
            ctx,
            issue,
            IssueEventKind.TRIAGE,
            body=reason,
            organisation_id=acting_organisation(issue, record),
        )
        event.from_priority, event.to_priority = issue.priority, priority
        event.from_category, event.to_category = issue.category, category
        event.from_due_at, event.to_due_at = before_due, due
        if priority is not issue.priority:
            record.change("priority", issue.priority, priority)
            issue.priority = priority
            issue.priority_rank = PRIORITY_RANK[priority]
        if category is not issue.category:
            record.change("category", issue.category, category)
            issue.category = category
        if due != before_due:
            record.change("due_at", before_due, due)
            issue.due_at = due
        record.change("timeline", None, IssueEventKind.TRIAGE.value)

    return await change_issue(ctx, TRIAGE_ISSUE, data, apply)
